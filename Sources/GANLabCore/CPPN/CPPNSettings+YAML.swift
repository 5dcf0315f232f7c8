import Foundation
import GANLabEngine
import Yams

/// Reading CPPN presets: flat YAML files of `key: value` lines, e.g.
///
/// ```yaml
/// description: "8 × 16 tanh, N(0, 1) weights"
/// width: 16
/// depth: 8
/// activation: tanh
/// init: normal
/// scale: 1
/// ```
///
/// Unknown keys, wrong types and out-of-range values are one-line errors naming the file, line
/// and key, like an experiment file. The layers are either `width` and `depth` or a `hidden` list.
extension CPPNSettings {
    /// The keys a preset may set, in the order `yamlText` writes them.
    public static let keys = ["description", "width", "depth", "hidden", "activation", "init", "scale",
                              "zoom", "inputs", "latent", "latentScale", "seed"]

    /// Reads a preset: the defaults, then the YAML text, then `validate()`.
    public static func load(yaml text: String, file: String) throws(ConfigError) -> CPPNSettings {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(.syntax, location: file, problem: "cannot parse the YAML (\(error)).")
        }
        guard let root, case .mapping(let mapping) = root else {
            throw ConfigError(.notAMapping, location: "\(file):1",
                              problem: "a CPPN preset is 'key: value' lines; allowed keys: \(keys.joined(separator: ", ")).")
        }
        let source = ConfigSource(file: file, override: nil)
        var settings = CPPNSettings()
        var width: Int?, depth: Int?, hidden: (list: [Int], line: String)?
        var seen: [String: Int] = [:]
        var lines: [String: String] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let location = source.location(keyNode.mark)
            guard keys.contains(key) else {
                throw ConfigError(.unknownKey, location: location, keyPath: key,
                                  problem: "unknown key '\(key)' in a CPPN preset; "
                                    + ConfigError.suggestion(for: key, in: keys) + "allowed keys: \(keys.joined(separator: ", ")).")
            }
            if let first = seen[key] {
                throw ConfigError(.duplicateKey, location: location, keyPath: key,
                                  problem: "duplicate key '\(key)' (first set on line \(first)); keep only one.")
            }
            seen[key] = keyNode.mark?.line ?? 0
            lines[key] = location
            let reader = ValueReader(node: value, keyPath: key, source: source)
            switch key {
            case "description": settings.description = try reader.text()
            case "width": width = try reader.integer(example: "16")
            case "depth": depth = try reader.integer(example: "8")
            case "hidden": hidden = (try reader.integers(example: "[128, 64, 32, 16, 8, 4]"), location)
            case "activation": settings.activation = try reader.name(ActivationKind.self, what: "an activation")
            case "init": settings.initializer = try reader.name(InitKind.self, what: "an initialiser")
            case "scale": settings.scale = try reader.real(example: "1")
            case "zoom": settings.zoom = try reader.real(example: "1")
            case "inputs": settings.inputs = try reader.name(CPPNInputs.self, what: "an input set")
            case "latent": settings.latentSize = try reader.integer(example: "4")
            case "latentScale": settings.latentScale = try reader.real(example: "0.5")
            default: settings.seed = try reader.unsigned(example: "1")
            }
        }
        if let hidden {
            guard width == nil && depth == nil else {
                throw ConfigError(.outOfRange, location: hidden.line, keyPath: "hidden",
                                  problem: "give either a 'hidden' list or 'width' and 'depth', not both.")
            }
            settings.hidden = hidden.list
        } else if width != nil || depth != nil {
            let w = width ?? settings.hidden.first ?? 16, d = depth ?? settings.hidden.count
            guard d >= 1 && d <= 64 else {
                throw ConfigError(.outOfRange, location: lines["depth"] ?? file, keyPath: "depth",
                                  problem: "depth \(d) is out of range; use 1 to 64 hidden layers.")
            }
            settings.hidden = [Int](repeating: w, count: d)
        }
        do {
            try settings.validate()
        } catch {
            var located = error
            let key = error.keyPath ?? ""
            located.location = lines[key] ?? lines[key == "hidden" ? "width" : key] ?? file
            throw located
        }
        return settings
    }

    /// Reads a preset file (see `load(yaml:file:)`); messages name the path as given.
    public static func load(contentsOf url: URL) throws(ConfigError) -> CPPNSettings {
        let file = url.relativePath
        guard let data = try? Data(contentsOf: url) else {
            throw ConfigError(.unreadable, location: file, problem: "cannot read the CPPN preset.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(.notText, location: file, problem: "the file is not UTF-8 text; a CPPN preset must be YAML.")
        }
        return try load(yaml: text, file: file)
    }

    /// The settings as a preset file; `load(yaml:)` of it gives equal settings.
    public var yamlText: String {
        [
            "description: \(ConfigFormat.quoted(description))",
            "hidden: [\(hidden.map(String.init).joined(separator: ", "))]",
            "activation: \(activation.rawValue)",
            "init: \(initializer.rawValue)",
            "scale: \(ConfigFormat.number(scale))",
            "zoom: \(ConfigFormat.number(zoom))",
            "inputs: \(inputs.rawValue)",
            "latent: \(latentSize)",
            "latentScale: \(ConfigFormat.number(latentScale))",
            "seed: \(seed)",
        ].joined(separator: "\n") + "\n"
    }
}

/// The named CPPN presets: `NAME.yaml` files in `experiments/cppn/`, a folder of their own so
/// everything that reads `experiments/*.yaml` as GAN experiments never sees them.
public struct CPPNLibrary: Sendable {
    /// The folder holding the presets.
    public let directory: URL

    /// A library over the `.yaml` files in `directory`.
    public init(directory: URL) {
        self.directory = directory
    }

    /// The presets inside an experiments folder: `EXPERIMENTS/cppn/`.
    public init(experiments: URL) {
        directory = experiments.appendingPathComponent("cppn", isDirectory: true)
    }

    /// The preset names, sorted (none when the folder does not exist).
    public func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(
            at: directory.resolvingSymlinksInPath(), includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])) ?? []
        return files.filter { $0.pathExtension == "yaml" }.map { $0.deletingPathExtension().lastPathComponent }.sorted()
    }

    /// Every preset with its description, or the error that keeps it from loading.
    public func entries() -> [(name: String, description: String, error: ConfigError?)] {
        names().map { name in
            do throws(ConfigError) {
                return (name, try CPPNSettings.load(contentsOf: fileURL(name)).description, nil)
            } catch {
                return (name, error.description, error)
            }
        }
    }

    /// Loads `nameOrPath`: a path when it contains `/` or ends in `.yaml`, else `directory/NAME.yaml`.
    public func load(_ nameOrPath: String) throws(ConfigError) -> CPPNSettings {
        if ExperimentLibrary.isPath(nameOrPath) {
            guard FileManager.default.fileExists(atPath: nameOrPath) else {
                throw ConfigError(.unknownExperiment, location: nameOrPath, problem: "no such CPPN preset file.")
            }
            return try CPPNSettings.load(contentsOf: URL(fileURLWithPath: nameOrPath))
        }
        let url = fileURL(nameOrPath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            let known = names()
            throw ConfigError(.unknownExperiment, location: "",
                              problem: "unknown CPPN preset '\(nameOrPath)'; " + ConfigError.suggestion(for: nameOrPath, in: known)
                                + "available: " + (known.isEmpty ? "none in \(directory.relativePath)" : known.joined(separator: ", ")) + ".")
        }
        return try CPPNSettings.load(contentsOf: url)
    }

    private func fileURL(_ name: String) -> URL {
        directory.appendingPathComponent(name + ".yaml", isDirectory: false)
    }
}
