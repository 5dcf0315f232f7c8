import Foundation
import GANLabCore
import Testing
@testable import GANLabRender

/// A tiny trained run in a temporary folder: spiral, [16, 16] nets, 40 steps, 200 probes,
/// trace frames at 0, 10, …, 40 and snapshots at 20 and 40.
struct TinyRun {
    let folder: String
    let run: RunData

    init(_ problem: ProblemKind = .spiral) throws {
        let c = tinyRunConfig(problem, seed: 11, steps: 40, probes: 200, logEvery: 10, snapshotEvery: 20)
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("ganlab-sequences-\(UUID().uuidString)").path
        try trainTinyRun(c, at: folder + "/run")
        run = try RunData(path: folder + "/run")
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    /// Small, fast settings for every sequence.
    static func options(size: Int = 160) -> FrameSequenceOptions {
        var o = FrameSequenceOptions()
        o.size = size
        o.frameCount = nil
        o.framesPerStep = 3
        return o
    }
}

/// Numbered PNGs in `folder`, sorted.
private func frameFiles(_ folder: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder).filter(FrameSequences.isFrameFile).sorted()
}

/// The composite of `color` at `opacity` over white (what a lone dot's centre pixel shows).
private func overWhite(_ color: RGBA, opacity: Double) -> RGBA {
    RGBA(red: opacity * color.red + 1 - opacity, green: opacity * color.green + 1 - opacity,
         blue: opacity * color.blue + 1 - opacity)
}

@Suite("Frame sequences")
struct SequenceTests {
    @Test("frame files, manifest and count agree; stale frames are removed", arguments: FrameSequenceKind.allCases)
    func countsAgree(kind: FrameSequenceKind) throws {
        let tiny = try TinyRun()
        defer { tiny.remove() }
        var options = TinyRun.options()
        if kind == .morph || kind == .walk { options.frameCount = 7 }
        let folder = FrameSequences.folder(run: tiny.run.run.path, sequence: kind)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for stale in ["00099.png", "123456.png", "notes.txt"] {
            #expect(FileManager.default.createFile(atPath: folder + "/" + stale, contents: Data("old".utf8)))
        }

        let result = try FrameSequences.render(run: tiny.run, sequence: kind, options: options)
        let expected = [FrameSequenceKind.timelapse: 5, .morph: 7, .walk: 7, .snapshots: 4][kind]
        let manifest = try FrameManifest.read(from: result.manifestPath)
        #expect(manifest == result.manifest)
        #expect(manifest.count == expected)
        #expect(manifest.frames.count == manifest.count)
        #expect(manifest.frames.map(\.index) == Array(0..<manifest.count))
        #expect(try frameFiles(folder) == (0..<manifest.count).map(FrameManifest.fileName))
        #expect(manifest.frames.map(\.file) == (0..<manifest.count).map(FrameManifest.fileName))
        #expect(FileManager.default.fileExists(atPath: folder + "/notes.txt"))
        #expect(manifest.fps == 20 && manifest.sequence == kind && manifest.filePattern == "%05d.png")
        for index in [0, manifest.count - 1] {
            let image = try PNGImage(contentsOf: folder + "/" + FrameManifest.fileName(index))
            #expect(image.width == manifest.width && image.height == manifest.height)
        }
        #expect(manifest.height == 160)
        #expect(manifest.width == (kind == .walk ? manifest.width : 160))
        #expect(manifest.width % 2 == 0)
    }

    @Test("timelapse shows every traced step; step 0 has no losses and says untrained")
    func timelapse() throws {
        let tiny = try TinyRun()
        defer { tiny.remove() }
        let manifest = try FrameSequences.render(run: tiny.run, sequence: .timelapse, options: TinyRun.options()).manifest
        #expect(manifest.frames.compactMap(\.step) == [0, 10, 20, 30, 40])
        #expect(manifest.frames[0].dLoss == nil && manifest.frames[0].gLoss == nil)
        #expect(manifest.frames.dropFirst().allSatisfy { $0.dLoss != nil && $0.gLoss != nil })
        #expect(FrameSequences.timelapseOverlay(step: 0, of: 40, dLoss: nil, gLoss: nil) == ["step 0 / 40", "untrained"])
        #expect(FrameSequences.timelapseOverlay(step: 2000, of: 4000, dLoss: 0.6931, gLoss: -0.5)
                == ["step 2,000 / 4,000", "D loss 0.693 · G loss −0.500"])
        var options = TinyRun.options()
        options.frameCount = 3
        let subsample = try FrameSequences.render(run: tiny.run, sequence: .timelapse, options: options).manifest
        #expect(subsample.frames.compactMap(\.step) == [0, 20, 40])
        #expect(try frameFiles(FrameSequences.folder(run: tiny.run.run.path, sequence: .timelapse)).count == 3)
    }

    @Test("morph starts at the latent positions in latent colours and ends at G(z)")
    func morphEnds() throws {
        let tiny = try TinyRun()
        defer { tiny.remove() }
        var options = TinyRun.options(size: 800)
        options.frameCount = 5
        let result = try FrameSequences.render(run: tiny.run, sequence: .morph, options: options)
        let manifest = result.manifest
        #expect(manifest.frames.first?.fraction == 0 && manifest.frames.last?.fraction == 1)
        #expect(manifest.frames.allSatisfy { $0.step == 40 })
        let panel = try #require(manifest.panels.first { $0.name == "sample" })
        #expect(panel.extent == 1)  // spiral: the sample square [−1, 1]² holds the latent box

        let latents = tiny.run.probeLatents
        let starts = FrameSequences.continuousPart(latents, dimension: 2)
        let ends = try tiny.run.probePoints(step: 40).points
        let colors = LatentColoring(prior: .uniformBox).colors(latents: latents)
        let radius = MappingFigure.defaultPointRadius(panelSide: panel.side)
        let targets = tiny.run.targetSamples()
        func pixel(_ xy: [Float], _ i: Int) -> (x: Double, y: Double) {
            panel.pixel(x: Double(xy[2 * i]), y: Double(xy[2 * i + 1]))
        }
        func distance(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Double {
            ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
        }
        // First frame: a probe with nothing else within reach shows exactly its colour at 80 % over white.
        let first = try PNGImage(contentsOf: result.folder + "/00000.png")
        let isolated = (0..<starts.count / 2).filter { i in
            let p = pixel(starts, i)
            let clearOfProbes = (0..<starts.count / 2).allSatisfy { $0 == i || distance(pixel(starts, $0), p) > 2 * radius + 3 }
            let clearOfTargets = (0..<targets.count / 2).allSatisfy { distance(pixel(targets, $0), p) > 2 * radius + 3 }
            return clearOfProbes && clearOfTargets
        }
        try #require(isolated.count >= 5)
        for i in isolated.prefix(20) {
            let p = pixel(starts, i)
            let seen = first.pixel(x: Int(p.x), y: Int(p.y))
            #expect(seen.distance(to: overWhite(colors[i], opacity: 0.8)) <= 10, "probe \(i) at \(p): \(seen)")
        }
        // Last frame: the sample panel is exactly the mapping at G(z); the top probe shows its colour.
        let last = try PNGImage(contentsOf: result.folder + "/00004.png")
        let reference = MappingData(prior: .uniformBox, latentExtent: 1, sampleExtent: 1, latents: latents,
                                    points: ends, target: targets, title: "reference")
        let canvas = try MappingFigure.samplePanelOnly(reference, frameSize: 800, overlay: ["line 1", "line 2"])
        var differences = 0
        for y in Int(panel.y)..<Int(panel.y + panel.side) {
            for x in Int(panel.x)..<Int(panel.x + panel.side) where canvas.pixel(x: x, y: y) != last.pixel(x: x, y: y) {
                differences += 1
            }
        }
        #expect(differences == 0)
        let top = starts.count / 2 - 1
        let p = pixel(ends, top)
        #expect(last.pixel(x: Int(p.x), y: Int(p.y)).distance(to: colors[top]) <= 0.2 * 255 + 2)
    }

    @Test("morph with more points than probes adds fixed-seed latents through the snapshot's G")
    func morphExtraPoints() throws {
        let tiny = try TinyRun()
        defer { tiny.remove() }
        let a = try FrameSequences.morphEnds(run: tiny.run, points: 500, step: nil)
        let b = try FrameSequences.morphEnds(run: tiny.run, points: 500, step: nil)
        #expect(a.latents.count == 1000 && a.end.count == 1000 && a.step == 40 && a.source == "snapshot")
        #expect(a.latents == b.latents && a.end == b.end)
        #expect(Array(a.latents.prefix(400)) == tiny.run.probeLatents)
        let traced = try tiny.run.probePoints(step: 40).points
        let worst = zip(traced, a.end.prefix(400)).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-4)
    }

    @Test("walk follows its path from start to end and records G(z(t))")
    func walk() throws {
        let tiny = try TinyRun()
        defer { tiny.remove() }
        var options = TinyRun.options(size: 200)
        options.frameCount = 9
        options.path = .line(from: SIMD2(-0.8, -0.5), to: SIMD2(0.8, 0.5))
        let manifest = try FrameSequences.render(run: tiny.run, sequence: .walk, options: options).manifest
        #expect(manifest.frames.first?.latent == [-0.8, -0.5])
        #expect(manifest.frames.last?.latent == [0.8, 0.5])
        #expect(manifest.frames.allSatisfy { $0.sample?.count == 2 && $0.jump != nil })
        #expect(Set(manifest.panels.map(\.name)) == ["latent", "sample"])
        #expect(manifest.width > manifest.height)
    }

    @Test("a jump is a trail step far longer than the typical one")
    func jumpThreshold() {
        var trail = (0..<50).map { SIMD2(Double($0) * 0.01, 0) }
        trail += (0..<50).map { SIMD2(1.5 + Double($0) * 0.01, 0) }
        let threshold = FrameSequences.jumpThreshold(trail, sampleExtent: 3)
        let long = zip(trail, trail.dropFirst()).filter { LatentPath.length($1 - $0) > threshold }
        #expect(long.count == 1)
        #expect(threshold == 0.12)  // 10 × 0.01 is below the floor of 4 % of the extent
    }

    @Test("snapshots interpolates K frames per interval between keyframes")
    func snapshots() throws {
        let tiny = try TinyRun()
        defer { tiny.remove() }
        let manifest = try FrameSequences.render(run: tiny.run, sequence: .snapshots, options: TinyRun.options()).manifest
        let thirds: [Double?] = [0, 1.0 / 3, 2.0 / 3, 1]
        let steps: [Int?] = [20, nil, nil, 40]
        #expect(manifest.frames.map(\.fraction) == thirds)
        #expect(manifest.frames.map(\.step) == steps)
        #expect(manifest.frames.allSatisfy { $0.fromStep == 20 && $0.toStep == 40 })
        var options = TinyRun.options()
        options.source = .trace
        let traced = try FrameSequences.render(run: tiny.run, sequence: .snapshots, options: options).manifest
        #expect(traced.count == 4 * 3 + 1)
        #expect(traced.frames.compactMap(\.step) == [0, 10, 20, 30, 40])
    }

    @Test("parallel rendering gives the same bytes as one thread")
    func parallelMatchesSerial() throws {
        let tiny = try TinyRun()
        defer { tiny.remove() }
        var options = TinyRun.options()
        options.threads = 1
        let folder = try FrameSequences.render(run: tiny.run, sequence: .timelapse, options: options).folder
        let serial = try frameFiles(folder).map { FileManager.default.contents(atPath: folder + "/" + $0) }
        options.threads = 4
        _ = try FrameSequences.render(run: tiny.run, sequence: .timelapse, options: options)
        let parallel = try frameFiles(folder).map { FileManager.default.contents(atPath: folder + "/" + $0) }
        #expect(serial == parallel)
    }

    @Test("easing and paths hit their ends exactly")
    func easingAndPaths() {
        for easing in Easing.allCases {
            #expect(easing(0) == 0 && easing(1) == 1)
            let values = stride(from: 0.0, through: 1.0, by: 0.05).map { easing($0) }
            #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 })
        }
        let line = LatentPath.line(from: SIMD2(-1, 0), to: SIMD2(1, 0)).sample(count: 5)
        #expect(line == [SIMD2(-1, 0), SIMD2(-0.5, 0), SIMD2(0, 0), SIMD2(0.5, 0), SIMD2(1, 0)])
        let polyline = LatentPath.points([SIMD2(0, 0), SIMD2(1, 0), SIMD2(1, 1)]).sample(count: 3)
        #expect(polyline == [SIMD2(0, 0), SIMD2(1, 0), SIMD2(1, 1)])
        let circle = LatentPath.circle(center: SIMD2(0, 0), radius: 2).sample(count: 4)
        #expect(abs(circle[1].y - 2) < 1e-12 && abs(circle[2].x + 2) < 1e-12)
        #expect(LatentPath.parsePoint(" 0.5, -1") == SIMD2(0.5, -1))
        #expect(LatentPath.parsePoint("1;2") == nil)
        #expect(LatentPath.parsePoints("0,0;1,1;2,0") == [SIMD2(0, 0), SIMD2(1, 1), SIMD2(2, 0)])
        #expect(LatentPath.parsePoints("0,0") == nil)
    }
}

/// Whether the ffmpeg tools are on PATH (the video tests need them).
private let ffmpegTools = VideoEncoder().ffmpeg != nil
    && VideoEncoder.findExecutable("ffprobe", searchPath: VideoEncoder().searchPath) != nil

/// Runs ffprobe and returns its trimmed output.
private func probe(_ file: String, _ entries: String, countFrames: Bool = false) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(
        VideoEncoder.findExecutable("ffprobe", searchPath: VideoEncoder().searchPath)))
    process.arguments = ["-v", "error"] + (countFrames ? ["-count_frames"] : [])
        + ["-select_streams", "v:0", "-show_entries", "stream=" + entries, "-of", "csv=p=0", file]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = PipeReading.readToEnd(out.fileHandleForReading)
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

@Suite("Video encoding")
struct VideoTests {
    @Test("the video has one frame per PNG and even sides (odd frames are padded)",
          .enabled(if: ffmpegTools, "ffmpeg or ffprobe is not on PATH, so encoding cannot be checked here"),
          arguments: VideoFormat.allCases)
    func frameCount(format: VideoFormat) throws {
        let tiny = try TinyRun()
        defer { tiny.remove() }
        var options = TinyRun.options(size: 161)
        options.frameCount = 6
        let result = try FrameSequences.render(run: tiny.run, sequence: .morph, options: options)
        let output = tiny.run.run.path + "/videos/morph.\(format.rawValue)"
        let outcome = try VideoEncoder().encode(frames: result.folder, to: output, format: format)
        guard case .encoded(let path, _) = outcome else {
            Issue.record("expected a video, got \(outcome)")
            return
        }
        #expect(path == output)
        #expect(try probe(output, "nb_read_frames", countFrames: true) == "6")
        if format != .gif { #expect(try probe(output, "width,height") == "162,162") }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: tiny.run.run.path + "/videos")
        #expect(leftovers == ["morph.\(format.rawValue)"])
    }

    @Test("without ffmpeg the frames stay and the exact command is returned")
    func withoutFFmpeg() throws {
        let tiny = try TinyRun()
        defer { tiny.remove() }
        var options = TinyRun.options()
        options.frameCount = 3
        let result = try FrameSequences.render(run: tiny.run, sequence: .morph, options: options)
        let encoder = VideoEncoder(searchPath: tiny.folder + "/no-such-bin:/nonexistent")
        #expect(encoder.ffmpeg == nil)
        let output = tiny.run.run.path + "/videos/morph.mp4"
        let outcome = try encoder.encode(frames: result.folder, to: output, format: .mp4)
        let expected = (["ffmpeg"] + VideoEncoder.arguments(frames: result.folder, output: output, format: .mp4))
            .map(VideoEncoder.shellQuoted).joined(separator: " ")
        #expect(outcome == .ffmpegMissing(command: expected))
        #expect(expected.contains("-framerate 20") && expected.contains("-crf 15") && expected.contains("-pix_fmt yuv420p"))
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try frameFiles(result.folder).count == 3)
    }

    @Test("ffmpeg arguments follow the article and each format's needs")
    func arguments() {
        let mp4 = VideoEncoder.arguments(frames: "F", output: "O.mp4", format: .mp4)
        #expect(mp4.contains("libx264") && mp4.last == "O.mp4")
        #expect(mp4.joined(separator: " ").contains("-framerate 20 -start_number 0 -i F/%05d.png"))
        #expect(VideoEncoder.arguments(frames: "F", output: "O.webm", format: .webm, crf: 30).contains("libvpx-vp9"))
        #expect(VideoEncoder.arguments(frames: "F", output: "O.gif", format: .gif).joined().contains("palettegen"))
        #expect(VideoEncoder.shellQuoted("a b'c") == "'a b'\\''c'")
        #expect(VideoEncoder.shellQuoted("pad=ceil(iw/2)*2") == "'pad=ceil(iw/2)*2'")
        #expect(VideoEncoder.shellQuoted("/tmp/x.mp4") == "/tmp/x.mp4")
    }
}
