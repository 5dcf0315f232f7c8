import ArgumentParser
import Foundation
import GANLabCore
import GANLabRender

extension GANLab {
    /// `ganlab compare`: snapshots side by side — a contact sheet, a metrics table with deltas,
    /// and optionally a morph between them.
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare snapshots of one problem side by side: a contact sheet (mapping, tears, modes) and a metrics table.",
            discussion: """
                Each argument is RUN or RUN@STEP (default: the newest snapshot), with +ema for the moving
                average of G's weights (train.generatorAverage) in that column: RUN+ema, RUN@STEP+ema; --ema
                makes every column the average. Every column draws the first
                run's probe latents through its snapshot's G, in the same colours, and is measured on the same
                latent grid with the run diagnostics' settings, so the numbers are those of diagnostics.csv.
                Rows: G(z) on the probes; tears on the latent plane; the mode partition (spiral: arc-length
                bins; uniform-to-normal: det J and folds).
                Examples:
                  ganlab compare output/spiral/a@1000 output/spiral/a@4000
                  ganlab compare output/spiral/a output/spiral/b --csv deltas.csv --frames 40
                  ganlab compare output/eight-gaussians/s1 output/eight-gaussians-ema/s1 output/eight-gaussians-ema/s1+ema
                  ganlab compare output/spiral/a@1000 output/spiral/a --frames 20 --report output/compare/a
                --report DIR writes DIR/index.html (docs/REPORT.md): the sheet as DIR/sheet.png (and at --out when
                given), the metrics table, links to each run's report page, and with --frames the morph, its frames
                in DIR/frames/compare and its video DIR/compare.mp4 when ffmpeg is on PATH.
                """)

        @Argument(help: ArgumentHelp("Snapshots to compare, each RUN or RUN@STEP.", valueName: "run[@step]"))
        var snapshots: [String]

        @Option(help: "Contact sheet file (default: output/compare/<date-time>.png).")
        var out: String?

        @Option(help: "Also write the metrics table (values and deltas) to this CSV file.")
        var csv: String?

        @Option(help: "Also render a morph between the snapshots, this many frames per interval.")
        var frames: Int?

        @Option(help: ArgumentHelp("Also write a static report page, DIR/index.html, with its pictures in DIR.", valueName: "dir"))
        var report: String?

        @Option(help: "Panel size of the contact sheet in pixels.")
        var size: Int = 360

        @Option(name: .customLong("frame-size"), help: "Side of the morph frames in pixels.")
        var frameSize: Int = 800

        @Option(help: "Latent grid side per plane (default: the first run's diagnostics grid).")
        var grid: Int?

        @OptionGroup var generator: GeneratorOptions

        func validate() throws {
            guard snapshots.count >= 2 else {
                throw ValidationError("Give at least two snapshots, e.g. ganlab compare RUN@1000 RUN@4000.")
            }
            guard (120...2048).contains(size) else { throw ValidationError("--size must be between 120 and 2048 pixels.") }
            guard (64...8192).contains(frameSize) else { throw ValidationError("--frame-size must be between 64 and 8192 pixels.") }
            if let frames, !(1...10_000).contains(frames) { throw ValidationError("--frames must be between 1 and 10,000.") }
            if let grid, !(2...2048).contains(grid) { throw ValidationError("--grid must be between 2 and 2048.") }
        }

        func run() throws {
            if let report { try OutputFolder.check(report, option: "--report") }
            let specs = snapshots.map(CompareSpec.init(parsing:)).map { spec in
                var spec = spec
                if generator.averaged { spec.generator = .averaged }
                return spec
            }
            for spec in specs { try RunDirectory.requireRun(at: spec.path) }
            do {
                let sheet = try CompareSheetData.load(specs, gridSize: grid)
                let file = out ?? report.map { $0 + "/" + CompareReport.sheetName } ?? "output/compare/\(Self.timestamp()).png"
                try OutputFile.prepare(file, formats: ["png"])
                if let csv { try OutputFile.prepare(csv, formats: ["csv"], option: "--csv") }
                let canvas = try CompareSheet.render(sheet, panelSize: size)
                try canvas.writePNG(to: file)
                if let report, out != nil {
                    try makeDirectories(report)
                    try canvas.writePNG(to: report + "/" + CompareReport.sheetName)
                }
                print("sheet  \(file)\n")
                print(sheet.table.text)
                print("\nmetrics computed with the run diagnostics' settings (\(sheet.gridSize)² latent grid"
                      + (sheet.problem.latentDimension > 2 ? " per k" : "") + ", \(SnapshotDiagnostics.sampleCount) samples):")
                for column in sheet.columns { print("  \(column.letter): \(column.recordedAgreement)") }
                if let csv {
                    try writeAtomically(sheet.table.csv, to: csv)
                    print("\ncsv    \(csv)")
                }
                let base = (file as NSString).deletingPathExtension
                let morphFolder = report.map { $0 + "/" + CompareReport.framesFolder } ?? base + "/frames/compare"
                let morph = try frames.map { try self.morph(sheet, into: morphFolder, framesPerStep: $0) }
                if let report {
                    let result = try CompareReport.write(sheet, into: report, morph: morph, command: Self.commandLine())
                    if case .ffmpegMissing(let command)? = result.video {
                        print("  video     not encoded: ffmpeg is not on PATH; encode with: " + command)
                    } else if case .encoded(let path, _)? = result.video {
                        print("  video     \(path)")
                    }
                    print("\nreport \(result.page)")
                } else if let morph {
                    let command = ["ffmpeg"] + VideoEncoder.arguments(frames: morph.folder, output: base + "/videos/compare.mp4",
                                                                      format: .mp4, fps: morph.manifest.fps)
                    print("  encode    mkdir -p " + VideoEncoder.shellQuoted(base + "/videos") + " && "
                          + command.map(VideoEncoder.shellQuoted).joined(separator: " "))
                }
            }
        }

        /// Renders the morph into `folder` and prints where its frames are.
        private func morph(_ sheet: CompareSheetData, into folder: String, framesPerStep: Int) throws -> FrameSequenceResult {
            let line = FrameProgress()
            let result = try CompareSheet.renderMorph(sheet, into: folder, framesPerStep: framesPerStep, size: frameSize,
                                                      progress: { line.show($0, of: $1) })
            line.finish()
            let m = result.manifest
            print("\nmorph: \(m.count) frames, \(m.width)×\(m.height) px, " + String(format: "%.1f s", result.seconds))
            print("  frames    \(result.folder)/\(FrameManifest.fileName(0)) … \(FrameManifest.fileName(m.count - 1))")
            print("  manifest  \(result.manifestPath)")
            return result
        }

        /// The command line as typed, for the report page ("ganlab compare A@40 A --report r").
        static func commandLine() -> String {
            (["ganlab"] + CommandLine.arguments.dropFirst()).map(VideoEncoder.shellQuoted).joined(separator: " ")
        }

        /// "20261123-061500" in local time.
        static func timestamp() -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "yyyyMMdd-HHmmss"
            return formatter.string(from: Date())
        }
    }
}
