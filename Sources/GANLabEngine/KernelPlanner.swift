import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Chooses each layer's kernels by timing them on this machine, the way FFTW's planner and
/// cuDNN's benchmark mode do: for every product of every layer shape a run trains (forward,
/// input gradient, weight gradient) it times the hand-written tiles against OpenBLAS on the
/// engine's threads, at the run's batch, and keeps the faster.
///
/// Results are cached in the user's cache folder (`$XDG_CACHE_HOME/ganlab/kernel-plans.json`, or
/// `~/.cache/…`; `~/Library/Caches/…` on macOS) under a key naming the CPU model, the OpenBLAS
/// build, the tiles' vector width, the thread count and the lab's version, so a machine measures
/// a shape once. A lock file makes processes that start together (a sweep) measure once and share
/// the result.
public enum KernelPlanner {
    /// One product of one layer shape, timed both ways.
    public struct Measurement: Sendable, Equatable {
        public var shape: KernelPlan.Shape
        public var batch: Int
        public var product: KernelPlan.Product
        /// Seconds per product, fastest sample.
        public var tiles: Double
        public var blas: Double
        /// Whether OpenBLAS was the faster in every one of the alternating rounds.
        public var blasWonEveryRound: Bool

        public init(shape: KernelPlan.Shape, batch: Int, product: KernelPlan.Product, tiles: Double, blas: Double,
                    blasWonEveryRound: Bool) {
            self.shape = shape
            self.batch = batch
            self.product = product
            self.tiles = tiles
            self.blas = blas
            self.blasWonEveryRound = blasWonEveryRound
        }

        /// OpenBLAS only when it won every round and its fastest run is at least 5 % faster: near
        /// a tie (where repeated plans would flip with the machine's noise, and where a product
        /// timed alone can mislead about the same product inside a training step) the tiles keep
        /// their fused bias and activation.
        public var choice: KernelPlan.Choice { blasWonEveryRound && blas < 0.95 * tiles ? .blas : .tiles }
    }

    /// A layer shape a network trains, with the most rows one pass takes.
    public struct Need: Sendable, Hashable {
        public var shape: KernelPlan.Shape
        public var batch: Int

        public init(_ shape: KernelPlan.Shape, batch: Int) {
            self.shape = shape
            self.batch = batch
        }

        /// Whether any of the shape's products has a choice (a side wider than 4).
        var hasChoice: Bool { KernelPlan.Product.allCases.contains { !shape.isThin($0) } }
        var cacheKey: String { "\(shape)@\(batch)" }
    }

    /// What `plan(for:)` did.
    public struct Outcome: Sendable {
        public var plan: KernelPlan
        /// The needs measured now (the others came from the cache).
        public var measured: [Measurement]
        /// Seconds spent, measuring and reading the cache.
        public var seconds: Double
    }

    /// The plan for `needs` on the engine's current threads: cached kernels where the cache in
    /// `cacheFolder` has them, the others measured now and added to it. Without a cache folder
    /// everything is measured and nothing is written; with `refresh` every need is measured again
    /// and the cache's entries for them replaced.
    public static func plan(for needs: [Need], threads: Int = WorkerPool.shared.parts,
                            cacheFolder: String? = KernelPlanner.cacheFolder, refresh: Bool = false) -> Outcome {
        let clock = ContinuousClock(), start = clock.now
        // One entry a shape: the largest batch it is trained at.
        var batches: [KernelPlan.Shape: Int] = [:]
        for need in needs where need.hasChoice { batches[need.shape] = max(batches[need.shape] ?? 0, need.batch) }
        let wanted = batches.sorted { $0.key < $1.key }.map { Need($0.key, batch: $0.value) }

        var plan = KernelPlan(choices: [:])
        var measured: [Measurement] = []
        func measureMissing(_ cached: [String: String]) -> [String: String] {
            var cache = cached
            for need in wanted {
                if !refresh, let text = cache[need.cacheKey], let kernels = parse(text) {
                    plan = plan.setting(need.shape, to: kernels)
                    continue
                }
                let results = measure(need, threads: threads)
                measured += results
                var kernels = Array(repeating: KernelPlan.Choice.tiles, count: 3)
                for m in results { kernels[m.product.rawValue] = m.choice }
                plan = plan.setting(need.shape, to: kernels)
                cache[need.cacheKey] = kernels.map(\.rawValue).joined(separator: ",")
            }
            return cache
        }
        if let folder = cacheFolder {
            PlanCache(folder: folder).update(key: machineKey(threads: threads), measureMissing)
        } else {
            _ = measureMissing([:])
        }
        let d = clock.now - start
        return Outcome(plan: plan, measured: measured,
                       seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }

    /// Times every product of `need` with a choice, tiles against OpenBLAS, on `threads` parts of
    /// the engine's pool.
    public static func measure(_ need: Need, threads: Int = WorkerPool.shared.parts) -> [Measurement] {
        KernelPlan.Product.allCases.filter { !need.shape.isThin($0) }.map { product in
            // Alternate the candidates so a change of load hits both.
            var tiles = Double.infinity, blas = Double.infinity, blasWon = true
            let t = Probe(need, product, .tiles, threads: threads), b = Probe(need, product, .blas, threads: threads)
            for _ in 0..<3 {
                let x = t.fastest(seconds: 0.004), y = b.fastest(seconds: 0.004)
                tiles = min(tiles, x)
                blas = min(blas, y)
                blasWon = blasWon && y < x
            }
            return Measurement(shape: need.shape, batch: need.batch, product: product, tiles: tiles, blas: blas,
                               blasWonEveryRound: blasWon)
        }
    }

    /// What the cache is keyed by: the CPU model, the OpenBLAS build, the tiles' lanes, the
    /// engine's threads, the planner's version, and whether this is a debug build (whose tiles
    /// are unoptimised and lose to OpenBLAS everywhere).
    public static func machineKey(threads: Int) -> String {
        "\(cpuModel) | \(GEMM.blasDescription) | \(GEMM.tileLanes) lanes | \(threads) threads | planner 2" + buildKind
    }

    #if DEBUG
    private static let buildKind = " | debug build"
    #else
    private static let buildKind = ""
    #endif

    /// The CPU's model name (`/proc/cpuinfo` on Linux).
    static var cpuModel: String {
        #if os(Linux)
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        #elseif canImport(Darwin)
        var size = 0
        if sysctlbyname("machdep.cpu.brand_string", nil, &size, nil, 0) == 0, size > 0 {
            var bytes = [CChar](repeating: 0, count: size)
            if sysctlbyname("machdep.cpu.brand_string", &bytes, &size, nil, 0) == 0 { return String(cString: bytes) }
        }
        #endif
        return "unknown CPU"
    }

    /// `$XDG_CACHE_HOME/ganlab`, `~/.cache/ganlab` (`~/Library/Caches/ganlab` on macOS), or nil
    /// without a home folder.
    public static var cacheFolder: String? {
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/ganlab" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        #if canImport(Darwin)
        return home + "/Library/Caches/ganlab"
        #else
        return home + "/.cache/ganlab"
        #endif
    }

    static func parse(_ text: String) -> [KernelPlan.Choice]? {
        let kernels = text.split(separator: ",").compactMap { KernelPlan.Choice(rawValue: String($0)) }
        return kernels.count == 3 ? kernels : nil
    }
}

/// One product of one shape on one kernel, ready to time: a one-layer network with random
/// weights and inputs, run on the engine's threads exactly as training runs it.
private struct Probe {
    let net: MLP
    let gradient: [Float]
    let product: KernelPlan.Product
    let batch: Int
    let threads: Int

    init(_ need: KernelPlanner.Need, _ product: KernelPlan.Product, _ choice: KernelPlan.Choice, threads: Int) {
        let shape = need.shape
        net = MLP(layerSizes: [shape.fanIn, shape.fanOut], hidden: Activation(.leakyReLU), output: Activation(.leakyReLU),
                  maxBatch: need.batch, kernels: KernelPlan(choices: [shape: [choice, choice, choice]]))
        var rng = RandomSource(seed: 1)
        net.initialize(Initializer(.he), using: &rng)
        for i in net.input.indices { net.input[i] = Float(rng.nextUniform(-1, 1)) }
        gradient = (0..<(need.batch * shape.fanOut)).map { Float(($0 * 7919) % 101) / 101 - 0.5 }
        self.product = product
        self.threads = threads
        batch = need.batch
        forward()  // activations for the backward products
    }

    private func forward() {
        net.prepareForward()
        WorkerPool.shared.run(parts: threads) { team in net.forwardPart(team, batch: batch) }
    }

    /// One product on the engine's threads.
    func run() {
        let parts = threads
        switch product {
        case .forward:
            forward()
        case .weight:
            gradient.withUnsafeBufferPointer { g in
                WorkerPool.shared.run(parts: parts) { team in
                    net.backwardPart(team, outputGradient: g.baseAddress!, batch: batch, weightGradients: true, inputGradient: false)
                }
            }
        case .input:
            gradient.withUnsafeBufferPointer { g in
                WorkerPool.shared.run(parts: parts) { team in
                    net.backwardPart(team, outputGradient: g.baseAddress!, batch: batch, weightGradients: false, inputGradient: true)
                }
            }
        }
    }

    /// Seconds of the fastest of repeated runs lasting about `seconds` in all, after one warm-up.
    func fastest(seconds: Double) -> Double {
        run()
        let clock = ContinuousClock()
        var best = Double.infinity, spent = 0.0, runs = 0
        while (spent < seconds || runs < 3) && runs < 200 {
            let start = clock.now
            run()
            let d = clock.now - start
            let t = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            best = min(best, t)
            spent += t
            runs += 1
        }
        return best
    }
}

/// The cache file and its lock: `update` holds an exclusive `flock` on `kernel-plans.lock` while
/// it reads `kernel-plans.json`, lets the caller add entries, and writes the file back atomically.
private struct PlanCache {
    let folder: String

    func update(key: String, _ body: ([String: String]) -> [String: String]) {
        let file = folder + "/kernel-plans.json"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let lock = open(folder + "/kernel-plans.lock", O_CREAT | O_RDWR, 0o644)
        if lock >= 0 { _ = flock(lock, LOCK_EX) }
        defer {
            if lock >= 0 {
                _ = flock(lock, LOCK_UN)
                close(lock)
            }
        }
        var all = (FileManager.default.contents(atPath: file)
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: [String: String]] }) ?? [:]
        let before = all[key] ?? [:]
        let after = body(before)
        guard after != before else { return }
        all[key] = after
        guard let data = try? JSONSerialization.data(withJSONObject: all, options: [.prettyPrinted, .sortedKeys]) else { return }
        let temporary = file + ".\(getpid()).tmp"
        if FileManager.default.createFile(atPath: temporary, contents: data) {
            if rename(temporary, file) != 0 { unlink(temporary) }
        }
    }
}
