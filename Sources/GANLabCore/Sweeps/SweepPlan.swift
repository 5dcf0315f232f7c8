import Foundation
import Yams

/// A sweep: one base experiment over a grid of settings and a list of seeds, expanded to runs.
///
/// The file, `experiments/sweeps/NAME.yaml`:
///
///     description: "ring8-pacgan with packing 1–4"   # one line (optional)
///     experiment: ring8-pacgan                        # the base experiment, or a list of them
///     seeds: [1, 2, 3]                                # or {from: 1, to: 10}
///     grid:                                           # cells: the product of these lists
///       discriminator.packing: [1, 2, 3, 4]
///     set:                                            # settings every run shares (optional)
///       train.steps: 2000
///     threads: 1                                      # engine threads per run (default 1)
///
/// Every key and value goes through the experiment reader, so an error names the sweep file,
/// the line and the key with the allowed values, and every run's config is validated before
/// anything runs. Cells are numbered by experiment, then in row-major order of the grid (first
/// key slowest); runs are cell by cell, seed by seed, and run i of the plan is Slurm array task i.
public struct SweepPlan: Sendable {
    /// One cell of the grid: its settings and a folder-safe name.
    public struct Cell: Sendable, Equatable {
        /// A readable, folder-safe name, e.g. `packing-2` or `loss-hinge_packing-2` (`base` without
        /// a grid), prefixed with the experiment when the sweep has several (`spiral_packing-2`).
        public var name: String
        /// The base experiment.
        public var experiment: String
        /// The grid's key paths and this cell's value for each, as written in the file.
        public var settings: [(key: String, value: String)]

        public static func == (a: Cell, b: Cell) -> Bool {
            a.name == b.name && a.experiment == b.experiment && a.settings.map(\.key) == b.settings.map(\.key) && a.settings.map(\.value) == b.settings.map(\.value)
        }
    }

    /// One run of the sweep.
    public struct Run: Sendable {
        /// Index in the plan (the Slurm array task id).
        public var index: Int
        /// Index of its cell in `cells`.
        public var cell: Int
        /// Its seed.
        public var seed: UInt64
        /// Its fully resolved config.
        public var config: ExperimentConfig
        /// Its folder relative to the sweep's folder: `<cell>/seed-<s>`.
        public var folder: String
    }

    /// The sweep's name (the file name without `.yaml`).
    public var name: String
    /// The file as named in messages.
    public var file: String
    /// The one-line description.
    public var description: String
    /// The base experiments' names, in file order.
    public var experiments: [String]
    /// The seeds, in file order.
    public var seeds: [UInt64]
    /// The grid's key paths, in file order.
    public var gridKeys: [String]
    /// The cells, row-major over the grid.
    public var cells: [Cell]
    /// Every run: cells × seeds.
    public var runs: [Run]
    /// Engine threads per run.
    public var threads: Int
    /// CRC-32C (hex) over every run's resolved config: changes when the sweep file, the base
    /// experiment or the build's defaults change what any run would do.
    public var fingerprint: String

    /// Most runs one sweep may expand to.
    public static let maximumRuns = 100_000

    // MARK: - Loading

    /// Reads `directory/sweeps/NAME.yaml` (or a path to a sweep file) and expands it, resolving the
    /// base experiment in `library`.
    public static func load(_ nameOrPath: String, library: ExperimentLibrary) throws(ConfigError) -> SweepPlan {
        let url: URL
        if ExperimentLibrary.isPath(nameOrPath) {
            url = URL(fileURLWithPath: nameOrPath)
        } else {
            url = library.directory.appendingPathComponent("sweeps").appendingPathComponent(nameOrPath + ".yaml")
        }
        let file = ExperimentLibrary.isPath(nameOrPath) ? nameOrPath : url.relativePath
        guard FileManager.default.fileExists(atPath: url.path) else {
            let folder = library.directory.appendingPathComponent("sweeps")
            let known = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
            throw ConfigError(.unknownExperiment, location: file,
                              problem: "no such sweep file; "
                                + (known.isEmpty ? "\(folder.relativePath) holds none."
                                   : "known sweeps: \(known.joined(separator: ", "))."))
        }
        let data = try ExperimentConfig.readBounded(url, file: file, what: "sweep file")
        return try parse(data: data, name: url.deletingPathExtension().lastPathComponent, file: file, library: library)
    }

    /// Expands the raw bytes of a sweep file (at most 1 MiB of UTF-8 YAML).
    public static func parse(data: Data, name: String, file: String, library: ExperimentLibrary) throws(ConfigError) -> SweepPlan {
        guard data.count <= ExperimentConfig.maximumFileBytes else {
            throw ConfigError(.outOfRange, location: file, problem: "the file is larger than 1 MiB; a sweep file is a few lines of YAML.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(.notText, location: file, problem: "the file is not UTF-8 text; a sweep file must be YAML.")
        }
        return try parse(yaml: text, name: name, file: file, library: library)
    }

    /// Expands sweep YAML `text` (named `name`, `file` in messages).
    public static func parse(yaml text: String, name: String, file: String,
                             library: ExperimentLibrary) throws(ConfigError) -> SweepPlan {
        let root = try ExperimentConfig.composeDocument(text, file: file)
        func at(_ node: Node?) -> String { node?.mark.map { "\(file):\($0.line)" } ?? file }
        guard case .mapping(let top) = root else {
            throw ConfigError(.notAMapping, location: at(root),
                              problem: "a sweep file is 'key: value' lines; allowed keys: \(topKeys.joined(separator: ", ")).")
        }
        var entries: [String: (key: Node, value: Node)] = [:]
        for (key, value) in top {
            guard let k = key.string, topKeys.contains(k) else {
                throw ConfigError(.unknownKey, location: at(key), keyPath: key.string,
                                  problem: "unknown key '\(ConfigFormat.shown(key.string ?? "?"))' in a sweep file; "
                                    + "allowed keys: \(topKeys.joined(separator: ", ")).")
            }
            guard entries[k] == nil else {
                throw ConfigError(.duplicateKey, location: at(key), keyPath: k, problem: "'\(k)' is given twice; keep one.")
            }
            entries[k] = (key, value)
        }
        // The base experiments.
        guard let experimentNode = entries["experiment"]?.value else {
            throw ConfigError(.unknownKey, location: at(root), keyPath: "experiment",
                              problem: "a sweep names its base experiment, e.g. 'experiment: ring8-pacgan' (see `ganlab list`), "
                                + "or a list of them.")
        }
        let experimentNodes: [Node]
        if case .sequence(let list) = experimentNode { experimentNodes = Array(list) } else { experimentNodes = [experimentNode] }
        var bases: [(name: String, config: ExperimentConfig)] = []
        for node in experimentNodes {
            guard let experiment = node.string, !experiment.isEmpty, !experiment.contains("/") else {
                throw ConfigError(.wrongType, location: at(node), keyPath: "experiment",
                                  problem: "an experiment is named as `ganlab list` shows it, e.g. ring8-pacgan.")
            }
            guard !bases.contains(where: { $0.name == experiment }) else {
                throw ConfigError(.duplicateKey, location: at(node), keyPath: "experiment", problem: "'\(experiment)' is listed twice.")
            }
            do {
                bases.append((experiment, try library.load(experiment)))
            } catch {
                var located = error
                if error.kind == .unknownExperiment { located.location = at(node) }
                throw located
            }
        }
        guard !bases.isEmpty else {
            throw ConfigError(.outOfRange, location: at(experimentNode), keyPath: "experiment", problem: "the experiment list is empty.")
        }
        let description = entries["description"]?.value.string ?? ""
        let seeds = try readSeeds(entries["seeds"], file: file, root: root)
        let threads = try readThreads(entries["threads"], file: file)
        let fixed = try pairs(entries["set"], section: "set", file: file)
        let axes = try pairs(entries["grid"], section: "grid", file: file).map { (key, node) throws(ConfigError) -> (String, [Node]) in
            guard case .sequence(let list) = node, !list.isEmpty else {
                throw ConfigError(.wrongType, location: at(node), keyPath: key,
                                  problem: "each grid key takes a non-empty list of values, e.g. '\(key): [1, 2]'.")
            }
            return (key, Array(list))
        }
        var seen = Set<String>()
        for (key, _) in axes {
            guard seen.insert(key).inserted else {
                throw ConfigError(.duplicateKey, location: file, keyPath: key, problem: "'\(key)' appears twice in the grid.")
            }
        }
        let gridCells = axes.reduce(1) { $0 * $1.1.count }
        guard bases.count * gridCells * seeds.count <= maximumRuns else {
            throw ConfigError(.outOfRange, location: at(entries["grid"]?.key), keyPath: "grid",
                              problem: "\(bases.count * gridCells) cells × \(seeds.count) seeds is more than \(maximumRuns) runs; split the sweep.")
        }
        var cells: [Cell] = [], runs: [Run] = []
        var digest = CRC32C()
        var checksums: [String: String] = [:]
        for (experiment, baseConfig) in bases {
            // Fixed settings, then the grid.
            var base = baseConfig, origins: [String: String] = [:]
            for (key, value) in fixed { try base.apply(keyPath: key, value: value, file: file, origins: &origins) }
            try base.apply(keyPath: "train.threads", value: Node(String(threads)), file: file, origins: &origins)
            for g in 0..<gridCells {
                var config = base, cellOrigins = origins, rest = g
                var choice = [Int](repeating: 0, count: axes.count)
                for a in stride(from: axes.count - 1, through: 0, by: -1) {
                    choice[a] = rest % axes[a].1.count
                    rest /= axes[a].1.count
                }
                var settings: [(key: String, value: String)] = []
                for (a, (key, values)) in axes.enumerated() {
                    let node = values[choice[a]]
                    try config.apply(keyPath: key, value: node, file: file, origins: &cellOrigins)
                    settings.append((key, valueText(node)))
                }
                let gridName = cellFolderName(settings)
                let cellName = bases.count == 1 ? gridName : (axes.isEmpty ? experiment : experiment + "_" + gridName)
                let c = cells.count
                cells.append(Cell(name: cellName, experiment: experiment, settings: settings))
                for seed in seeds {
                    var runConfig = config
                    runConfig.seed = seed
                    try runConfig.validate(origins: cellOrigins, fallback: at(entries["grid"]?.key ?? experimentNode))
                    if runConfig.problem.isFileTarget {
                        let path = runConfig.target.file
                        let sum: String
                        if let known = checksums[path] { sum = known } else {
                            sum = try targetChecksum(runConfig, experiment: experiment)
                        }
                        checksums[path] = sum
                        runConfig.target.checksum = sum
                    }
                    // A file target enters by its checksum, not by how its path is spelled.
                    var fingerprinted = runConfig
                    fingerprinted.target.file = ""
                    digest.update(Array(fingerprinted.yamlText.utf8))
                    runs.append(Run(index: runs.count, cell: c, seed: seed, config: runConfig,
                                    folder: "\(cellName)/seed-\(seed)"))
                }
            }
        }
        if Set(cells.map(\.name)).count != cells.count {
            throw ConfigError(.outOfRange, location: at(entries["grid"]?.key), keyPath: "grid",
                              problem: "two cells get the same folder name (\(cells.map(\.name).joined(separator: ", "))); "
                                + "give the grid values that differ after removing characters other than letters, digits, '.', '-'.")
        }
        return SweepPlan(name: name, file: file, description: description, experiments: bases.map(\.name), seeds: seeds,
                         gridKeys: axes.map(\.0), cells: cells, runs: runs, threads: threads,
                         fingerprint: String(format: "%08x", digest.value))
    }

    static let topKeys = ["description", "experiment", "seeds", "grid", "set", "threads"]

    /// The checksum of a file target's file, recorded in every run's config (and so in the
    /// fingerprint): a target file changed while a sweep is under way is then refused, not mixed in.
    private static func targetChecksum(_ config: ExperimentConfig, experiment: String) throws(ConfigError) -> String {
        do {
            return FileTarget.checksum(of: try FileTarget.readBytes(config.target.file))
        } catch {
            throw ConfigError(.unreadable, location: config.target.file,
                              problem: "the target file of experiment '\(experiment)' cannot be read (\(error)).")
        }
    }

    // MARK: - Pieces

    private static func readSeeds(_ entry: (key: Node, value: Node)?, file: String, root: Node) throws(ConfigError) -> [UInt64] {
        guard let entry else {
            throw ConfigError(.unknownKey, location: root.mark.map { "\(file):\($0.line)" } ?? file, keyPath: "seeds",
                              problem: "a sweep lists its seeds, e.g. 'seeds: [1, 2, 3]' or 'seeds: {from: 1, to: 10}'.")
        }
        let node = entry.value
        let location = node.mark.map { "\(file):\($0.line)" } ?? file
        func seed(_ n: Node) throws(ConfigError) -> UInt64 {
            guard let text = n.scalar?.string, let value = UInt64(text) else {
                throw ConfigError(.wrongType, location: n.mark.map { "\(file):\($0.line)" } ?? location, keyPath: "seeds",
                                  problem: "a seed is a whole number ≥ 0, found '\(ConfigFormat.shown(n.scalar?.string ?? "a list"))'.")
            }
            return value
        }
        var seeds: [UInt64] = []
        switch node {
        case .sequence(let list):
            for item in list { seeds.append(try seed(item)) }
        case .mapping(let map):
            let keys = map.compactMap { $0.key.string }
            guard Set(keys) == ["from", "to"], keys.count == 2, let from = map["from"], let to = map["to"] else {
                throw ConfigError(.wrongType, location: location, keyPath: "seeds",
                                  problem: "a seed range is '{from: 1, to: 10}' (both ends included).")
            }
            let lo = try seed(from), hi = try seed(to)
            guard lo <= hi, hi - lo < UInt64(maximumRuns) else {
                throw ConfigError(.outOfRange, location: location, keyPath: "seeds",
                                  problem: "the range from \(lo) to \(hi) must go upwards and hold at most \(maximumRuns) seeds.")
            }
            seeds = Array(lo...hi)
        default:
            throw ConfigError(.wrongType, location: location, keyPath: "seeds",
                              problem: "write the seeds as a list, '[1, 2, 3]', or a range, '{from: 1, to: 10}'.")
        }
        guard !seeds.isEmpty else {
            throw ConfigError(.outOfRange, location: location, keyPath: "seeds", problem: "the seed list is empty; give at least one.")
        }
        guard Set(seeds).count == seeds.count else {
            throw ConfigError(.outOfRange, location: location, keyPath: "seeds", problem: "a seed is listed twice; list each once.")
        }
        return seeds
    }

    private static func readThreads(_ entry: (key: Node, value: Node)?, file: String) throws(ConfigError) -> Int {
        guard let node = entry?.value else { return 1 }
        guard let text = node.scalar?.string, let n = Int(text), (1...64).contains(n) else {
            throw ConfigError(.outOfRange, location: node.mark.map { "\(file):\($0.line)" } ?? file, keyPath: "threads",
                              problem: "threads is the number of engine threads per run, a whole number from 1 to 64.")
        }
        return n
    }

    /// The `key: value` pairs of the section `set` or `grid`, keys as dotted paths.
    private static func pairs(_ entry: (key: Node, value: Node)?, section: String,
                              file: String) throws(ConfigError) -> [(String, Node)] {
        guard let entry else { return [] }
        if entry.value.isNullConfigScalar { return [] }
        guard case .mapping(let map) = entry.value else {
            throw ConfigError(.wrongType, location: entry.key.mark.map { "\(file):\($0.line)" } ?? file, keyPath: section,
                              problem: "'\(section)' holds 'section.key: value' lines, e.g. 'train.steps: 2000'.")
        }
        return try map.map { (key, value) throws(ConfigError) -> (String, Node) in
            guard let k = key.string else {
                throw ConfigError(.wrongType, location: key.mark.map { "\(file):\($0.line)" } ?? file, keyPath: section,
                                  problem: "keys in '\(section)' are dotted key paths such as train.steps.")
            }
            return ("\(k)", value)
        }
    }

    /// A value as written: scalars as they are, lists as `a×b`.
    private static func valueText(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return s.string
        case .sequence(let list): return list.map(valueText).joined(separator: "x")
        case .mapping: return "map"
        case .alias: return "alias"
        }
    }

    /// `packing-2_loss-hinge`: the last component of each key, its value, only folder-safe characters.
    static func cellFolderName(_ settings: [(key: String, value: String)]) -> String {
        guard !settings.isEmpty else { return "base" }
        func safe(_ s: String) -> String {
            String(s.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "-" }.prefix(40))
        }
        return settings.map { safe(String($0.key.split(separator: ".").last ?? "")) + "-" + safe($0.value) }
            .joined(separator: "_")
    }

    // MARK: - Selecting runs

    /// Runs of shard `shard` of `count` (every count-th run from index `shard`, 0-based).
    public func runs(shard: Int, of count: Int) -> [Run] {
        runs.filter { $0.index % count == shard }
    }
}
