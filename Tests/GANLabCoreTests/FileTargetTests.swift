import Foundation
import Testing
import GANLabEngine
import GANLabTestSupport

@testable import GANLabCore

/// A CSV of points: a header and one row per point.
func pointsCSV(_ points: [(Double, Double)], weights: [Double]? = nil) -> String {
    var text = weights == nil ? "x,y\n" : "x,y,weight\n"
    for (i, p) in points.enumerated() {
        text += "\(p.0),\(p.1)" + (weights.map { ",\($0[i])" } ?? "") + "\n"
    }
    return text
}

/// `count` points on a circle of radius 1.
func circlePoints(_ count: Int) -> [(Double, Double)] {
    (0..<count).map { k in
        let a = 2 * Double.pi * Double(k) / Double(count)
        return (cos(a), sin(a))
    }
}

@Suite("File targets: points")
struct FileTargetPointsTests {
    static func target(_ text: String, jitter: Double = 0, extent: Double = 0) throws -> FileTarget {
        var settings = TargetConfig()
        settings.file = "points.csv"
        settings.jitter = jitter
        settings.extent = extent
        return try FileTarget.decode(bytes: Array(text.utf8), file: "points.csv", kind: .points, settings: settings)
    }

    @Test("draws follow the weights, and the same seed gives the same samples")
    func weightedDraws() throws {
        // 100 points: point 0 weighs 50, point 1 weighs 0, the other 98 weigh 1 (total 148).
        let points = circlePoints(100)
        var weights = [Double](repeating: 1, count: 100)
        weights[0] = 50
        weights[1] = 0
        let target = try Self.target(pointsCSV(points, weights: weights))
        let problem = ToyProblem(file: target)
        var rng = RandomSource(seed: 3)
        let n = 60_000
        let samples = problem.sampleTargets(count: n, using: &rng)
        var atZero = 0, atOne = 0
        for i in 0..<n {
            let x = Double(samples[2 * i]), y = Double(samples[2 * i + 1])
            if abs(x - 1) < 1e-6 && abs(y) < 1e-6 { atZero += 1 }
            if abs(x - points[1].0) < 1e-6 && abs(y - points[1].1) < 1e-6 { atOne += 1 }
        }
        let expected = 50.0 / 148.0
        let sd = (expected * (1 - expected) / Double(n)).squareRoot()
        #expect(abs(Double(atZero) / Double(n) - expected) < 5 * sd, "share at the heavy point \(Double(atZero) / Double(n))")
        #expect(atOne == 0, "a point of weight 0 was drawn \(atOne) times")
        var again = RandomSource(seed: 3)
        #expect(problem.sampleTargets(count: n, using: &again) == samples)
    }

    @Test("jitter adds Gaussian noise of the given σ; the extent comes from the data")
    func jitter() throws {
        let target = try Self.target(pointsCSV(Array(repeating: (0.5, -0.25), count: 100)), jitter: 0.1)
        #expect(abs(target.extent - (1.1 * 0.5 + 0.3)) < 1e-12)
        var rng = RandomSource(seed: 9)
        let samples = ToyProblem(file: target).sampleTargets(count: 40_000, using: &rng)
        let xs = stride(from: 0, to: samples.count, by: 2).map { Double(samples[$0]) - 0.5 }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let sd = (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)).squareRoot()
        #expect(abs(mean) < 0.003 && abs(sd - 0.1) < 0.003, "mean \(mean), σ \(sd)")
        #expect(try Self.target(pointsCSV(circlePoints(100)), extent: 2.5).extent == 2.5)
    }

    @Test("bad point files are refused with one line naming the file (and the line)", arguments: [
        ("", "is empty"),
        ("x,y\n1,2\n", "has 1 points; a target needs at least 100"),
        ("a,b\n" + String(repeating: "1,2\n", count: 120), "no columns named x and y"),
        ("x,y\n" + String(repeating: "1,2\n", count: 60) + "1,two\n" + String(repeating: "1,2\n", count: 60),
         "points.csv:62: y is 'two', not a number"),
        ("x,y\n" + String(repeating: "1,2\n", count: 60) + "nan,2\n" + String(repeating: "1,2\n", count: 60),
         "points.csv:62: x is nan; only finite numbers"),
        ("x,y\n" + String(repeating: "1,2\n", count: 60) + "1,inf\n" + String(repeating: "1,2\n", count: 60),
         "points.csv:62: y is inf; only finite numbers"),
        ("x,y,weight\n" + String(repeating: "1,2,1\n", count: 60) + "1,2,-0.5\n" + String(repeating: "1,2,1\n", count: 60),
         "points.csv:62: weight is -0.5; weights must be ≥ 0"),
        ("x,y,weight\n" + String(repeating: "1,2,0\n", count: 120), "every weight is 0"),
        ("x,y\n" + String(repeating: "1,2\n", count: 60) + "1,2,3\n" + String(repeating: "1,2\n", count: 60),
         "points.csv:62: 3 fields, but the header has 2 columns"),
        ("x,y\n" + String(repeating: "1,2\n", count: 120) + "1e7,0\n", "more than 10⁶ from the origin"),
    ])
    func badFiles(_ text: String, _ expected: String) {
        do {
            _ = try Self.target(text)
            Issue.record("accepted a bad file; expected: \(expected)")
        } catch {
            let message = "\(error)"
            #expect(message.hasPrefix("points.csv"), "\(message)")
            #expect(message.contains(expected), "\(message)")
            #expect(!message.contains("\n"), "\(message)")
        }
    }

    @Test("a file that is not UTF-8, a missing file, a folder and a changed checksum are refused")
    func unreadable() throws {
        var settings = TargetConfig()
        #expect(throws: InputError.self) {
            _ = try FileTarget.decode(bytes: [0xFF, 0xFE, 0x00], file: "p.csv", kind: .points, settings: settings)
        }
        let folder = temporaryFolder("target-read")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for path in [folder + "/missing.csv", folder] {
            do {
                _ = try FileTarget.read(path: path, kind: .points, settings: settings)
                Issue.record("read \(path)")
            } catch {
                #expect("\(error)".hasPrefix(path), "\(error)")
            }
        }
        settings.checksum = "00000000"
        do {
            _ = try FileTarget.decode(bytes: Array(pointsCSV(circlePoints(100)).utf8), file: "p.csv", kind: .points,
                                      settings: settings)
            Issue.record("a changed file was accepted")
        } catch {
            #expect("\(error)".contains("the target file changed since the run started"), "\(error)")
        }
    }

    @Test("negative space: held-out samples score 0.1 %, true samples at most that, a bridge between the moons much more")
    func negativeSpace() throws {
        let csv = try String(contentsOf: packageRoot.appendingPathComponent("experiments/data/two-moons.csv"), encoding: .utf8)
        let target = try Self.target(csv, jitter: 0.02)
        let problem = ToyProblem(file: target)
        let reference = target.reference
        #expect(reference.tau > 0.01 && reference.tau < 0.2, "τ = \(reference.tau)")
        var rng = RandomSource(seed: 44)
        let truth = SampleMetrics.measure(problem: problem, points: problem.sampleTargets(count: 20_000, using: &rng))
        let trueShare = try #require(truth.reference).negativeSpace
        #expect(trueShare <= 0.0015, "true samples in negative space: \(trueShare)")
        // 10 % of the samples in the gap around the origin, ≥ 0.35 from both moons' arcs (the data's
        // band is about ±0.15 wide).
        var mixed = pairs(problem.sampleTargets(count: 9_000, using: &rng))
        mixed += (0..<1_000).map { k in SIMD2(-0.1 + 0.2 * Double(k) / 1_000, -0.05 + 0.1 * Double(k) / 1_000) }
        let bridged = try #require(SampleMetrics.measure(problem: problem, points: mixed).reference).negativeSpace
        #expect(abs(bridged - 0.1) < 0.003, "negative space with 10 % in the gap: \(bridged)")
    }

    @Test("precision, recall, density and coverage of true samples are high; the noise floor is reported")
    func manifoldFloor() throws {
        let csv = try String(contentsOf: packageRoot.appendingPathComponent("experiments/data/two-moons.csv"), encoding: .utf8)
        let problem = ToyProblem(file: try Self.target(csv, jitter: 0.02))
        let floor = ManifoldReference.of(problem).noiseFloor
        #expect(floor.precision > 0.95 && floor.recall > 0.95, "\(floor)")
        #expect(abs(floor.coverage - 0.969) < 0.03 && abs(floor.density - 1) < 0.1, "\(floor)")
        // Only the upper moon: recall and coverage about ½, precision stays high.
        var rng = RandomSource(seed: 8)
        let all = pairs(problem.sampleTargets(count: 10_000, using: &rng))
        // The upper moon is the half circle around (−0.5, −0.25) of radius 1 with y ≥ −0.25 (up to noise);
        // the lower one is centred on (0.5, 0.25) with y ≤ 0.25. Keep the points nearer the upper centre's circle.
        func onUpper(_ p: SIMD2<Double>) -> Bool {
            abs(((p - SIMD2(-0.5, -0.25)) * (p - SIMD2(-0.5, -0.25))).sum().squareRoot() - 1)
                < abs(((p - SIMD2(0.5, 0.25)) * (p - SIMD2(0.5, 0.25))).sum().squareRoot() - 1) && p.y > -0.25
        }
        let upper = Array(all.filter(onUpper).prefix(2_500))
        let half = try #require(SampleMetrics.measure(problem: problem, points: upper).manifold)
        #expect(half.precision > 0.9, "\(half)")
        #expect(half.coverage > 0.3 && half.coverage < 0.7 && half.recall < 0.75, "\(half)")
    }
}

@Suite("File targets: config and run folders")
struct FileTargetConfigTests {
    @Test("a file target's config reads, validates and round-trips; a built-in one has no target section")
    func config() throws {
        let yaml = "problem: points\ntarget:\n  file: data/p.csv\n  latent: uniform\n  jitter: 0.05\n"
        let config = try ExperimentConfig.load(yaml: yaml, file: "e.yaml")
        #expect(config.target.file == "data/p.csv" && config.target.latent == .uniform && config.prior == .uniformBox)
        #expect(try ExperimentConfig.load(yaml: config.yamlText, file: "r.yaml") == config)
        let json = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(ExperimentConfig.self, from: json) == config)
        let plain = ExperimentConfig()
        #expect(!plain.yamlText.contains("target:"))
        #expect(!(String(data: try JSONEncoder().encode(plain), encoding: .utf8) ?? "").contains("target"))
        let resolved = config.resolvingTarget(relativeTo: URL(fileURLWithPath: "experiments/e.yaml"))
        #expect(resolved.target.file.hasSuffix("experiments/data/p.csv"))
    }

    @Test("bad target settings name the key", arguments: [
        ("problem: points\n", "target.file", "reads its target from a file"),
        ("problem: spiral\ntarget:\n  file: a.csv\n", "target", "applies only to problem: points or problem: picture"),
        ("problem: picture\ntarget:\n  file: a.png\n  jitter: 0.1\n", "target.jitter", "jitter applies to points only"),
        ("problem: points\ntarget:\n  file: a.csv\n  jitter: -1\n", "target.jitter", "a finite number ≥ 0"),
        ("problem: points\ntarget:\n  file: a.csv\n  latent: cauchy\n", "target.latent", "gaussian, uniform"),
        ("problem: points\ntarget:\n  file: a.csv\n  checksum: xyz\n", "target.checksum", "8 hex digits"),
    ])
    func badSettings(_ yaml: String, _ key: String, _ expected: String) {
        do {
            _ = try ExperimentConfig.load(yaml: yaml, file: "e.yaml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.description.hasPrefix("e.yaml"), "\(error)")
            #expect(error.description.contains(key) && error.description.contains(expected), "\(error)")
        }
    }

    /// A tiny 40-step config whose target is `count` circle points written to `folder/points.csv`.
    static func circleConfig(in folder: String, count: Int) throws -> ExperimentConfig {
        try pointsCSV(circlePoints(count)).write(toFile: folder + "/points.csv", atomically: true, encoding: .utf8)
        var config = tinyConfig(.points, steps: 40)
        config.target.file = folder + "/points.csv"
        return config
    }

    @Test("a run keeps its own copy: a changed original changes nothing, a changed copy is refused")
    func selfContained() throws {
        let folder = temporaryFolder("target-run")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let original = folder + "/points.csv"
        var config = try Self.circleConfig(in: folder, count: 200)
        config.target.jitter = 0.05
        let (problem, bytes) = try ToyProblem.starting(&config)
        #expect(config.target.checksum == FileTarget.checksum(of: try #require(bytes)))
        let runPath = folder + "/run"
        let session = try TrainingSession.create(config: config, configYAML: config.yamlText, at: runPath, target: bytes)
        #expect(session.trainer.problem == problem)
        _ = try session.train()
        let run = RunDirectory(path: runPath)
        #expect(FileManager.default.contents(atPath: run.targetPath(for: .points)) == Data(try #require(bytes)))
        // Overwrite the original: the run still loads from its copy, and training it on is unchanged.
        try pointsCSV(circlePoints(150)).write(toFile: original, atomically: true, encoding: .utf8)
        let reloaded = try ToyProblem(config: config, run: run)
        #expect(reloaded == problem && reloaded.file?.atomCount == 200)
        // A tampered copy is refused with the checksum message.
        try pointsCSV(circlePoints(150)).write(toFile: run.targetPath(for: .points), atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { _ = try ToyProblem(config: config, run: run) }
    }

    @Test("training on a file target is deterministic and a resume from half-way ends byte-identical")
    func resumeIsExact() throws {
        let folder = temporaryFolder("target-resume")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var config = try Self.circleConfig(in: folder, count: 120)
        let bytes = try ToyProblem.starting(&config).bytes
        let whole = folder + "/whole", split = folder + "/split"
        _ = try TrainingSession.create(config: config, configYAML: config.yamlText, at: whole, target: bytes).train()
        _ = try TrainingSession.create(config: config, configYAML: config.yamlText, at: split, target: bytes).train(stopAt: 20)
        _ = try TrainingSession.resume(at: split) { _ in config }.train()
        for name in ["trace.bin", "diagnostics.csv", "target.csv", "snapshots/step-0000040.snap"] {
            let a = FileManager.default.contents(atPath: whole + "/" + name)
            #expect(a != nil && a == FileManager.default.contents(atPath: split + "/" + name), "\(name) differs")
        }
        // metrics.csv agrees except for its wall-clock column.
        func losses(_ run: String) throws -> [[String]] {
            let table = try CSVTable.read(path: run + "/metrics.csv")
            let keep = table.columns.indices.filter { !table.columns[$0].lowercased().contains("wall") }
            return table.rows.map { row in keep.map { row.fields[$0] } }
        }
        #expect(try losses(whole) == losses(split))
    }
}

/// A grey-scale 8-bit PNG of `gray` (row-major, top row first), zlib-stored without compression.
func storedGreyPNG(width: Int, height: Int, gray: [UInt8]) -> [UInt8] {
    func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        }
        return ~c
    }
    func chunk(_ kind: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(kind.utf8) + data
        return be32(UInt32(data.count)) + body + be32(crc32(body))
    }
    var raw: [UInt8] = []
    for row in 0..<height { raw += [0] + gray[(row * width)..<((row + 1) * width)] }
    var a: UInt32 = 1, b: UInt32 = 0
    for byte in raw { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
    var zlib: [UInt8] = [0x78, 0x01]
    var offset = 0
    repeat {
        let n = min(65_535, raw.count - offset)
        let last: UInt8 = offset + n == raw.count ? 1 : 0
        zlib += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
        zlib += raw[offset..<(offset + n)]
        offset += n
    } while offset < raw.count
    zlib += be32(b << 16 | a)
    let header = be32(UInt32(width)) + be32(UInt32(height)) + [8, 0, 0, 0, 0]
    return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlib) + chunk("IEND", [])
}

@Suite("File targets: pictures")
struct FileTargetPictureTests {
    static func target(_ png: [UInt8], extent: Double = 1) throws -> FileTarget {
        var settings = TargetConfig()
        settings.file = "p.png"
        settings.extent = extent
        return try FileTarget.decode(bytes: png, file: "p.png", kind: .picture, settings: settings)
    }

    @Test("pixels are drawn in proportion to their darkness, uniformly inside the pixel")
    func inverseCDF() throws {
        // Two pixels side by side, black and mid-grey (darkness 1 and 127/255), over [−1, 1] × [−½, ½].
        let target = try Self.target(storedGreyPNG(width: 2, height: 1, gray: [0, 128]))
        #expect(target.atomCount == 2 && target.atom(0) == SIMD2(-1, -0.5) && target.atom(1) == SIMD2(0, -0.5) && target.cell == 1)
        var rng = RandomSource(seed: 5)
        let n = 40_000
        let samples = pairs(ToyProblem(file: target).sampleTargets(count: n, using: &rng))
        let left = samples.filter { $0.x < 0 }
        let expected = 1 / (1 + 127.0 / 255)
        let share = Double(left.count) / Double(n)
        #expect(abs(share - expected) < 5 * (expected * (1 - expected) / Double(n)).squareRoot(), "left share \(share)")
        let meanX = left.map(\.x).reduce(0, +) / Double(left.count), meanY = left.map(\.y).reduce(0, +) / Double(left.count)
        #expect(abs(meanX + 0.5) < 0.01 && abs(meanY) < 0.01, "mean \(meanX), \(meanY)")
        #expect(samples.allSatisfy { abs($0.x) <= 1 && abs($0.y) <= 0.5 })
        // Uniform inside the pixel: each quarter of the left pixel gets a quarter of its samples.
        let quarter = left.filter { $0.x < -0.5 && $0.y < 0 }.count
        #expect(abs(Double(quarter) / Double(left.count) - 0.25) < 0.015)
    }

    @Test("white pixels hold nothing; a picture of white only, a non-PNG and an oversized one are refused")
    func refusals() throws {
        var gray = [UInt8](repeating: 255, count: 16)
        gray[5] = 0
        let one = try Self.target(storedGreyPNG(width: 4, height: 4, gray: gray), extent: 2)
        #expect(one.atomCount == 1 && one.atom(0) == SIMD2(-1, 0) && one.cell == 1)
        for (bytes, expected) in [(storedGreyPNG(width: 4, height: 4, gray: [UInt8](repeating: 255, count: 16)), "no dark pixel"),
                                  (Array("x,y\n1,2\n".utf8), "p.png: "),
                                  (Array(storedGreyPNG(width: 1, height: 1, gray: [0]).prefix(16)) + [0, 0, 0x13, 0x88, 0, 0, 0, 1],
                                   "p.png: ")] {
            do {
                _ = try Self.target(bytes)
                Issue.record("accepted; expected \(expected)")
            } catch {
                #expect("\(error)".hasPrefix("p.png: ") && "\(error)".contains(expected) && !"\(error)".contains("\n"), "\(error)")
            }
        }
    }
}
