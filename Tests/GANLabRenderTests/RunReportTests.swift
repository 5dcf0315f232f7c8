import Foundation
import Testing
import GANLabCore
@testable import GANLabRender

@Suite("Run report page")
struct RunReportTests {
    @Test("written at every snapshot while training: new views only, a reloading page, then a stopped one")
    func liveReport() throws {
        let dir = try Oracle.outputDirectory().appendingPathComponent("live-report-\(UUID().uuidString)").path
        try? FileManager.default.removeItem(atPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = tinyRunConfig(seed: 3, steps: 80, probes: 100, logEvery: 10, snapshotEvery: 20)
        let session = try TrainingSession.create(config: config, configYAML: config.yamlText, at: dir)
        let writer = RunReport.Writer(options: RunReport.Options(viewSize: 96))
        let perSnapshot = RunReport.views(for: ToyProblem(.spiral)).count
        var rendered: [Int] = []
        var failure: String?
        _ = try session.train(stopAt: 40, onSnapshot: { step in
            do {
                let result = try writer.write(run: try RunData(path: dir), status: .training(step: step))
                rendered.append(result.views)
                #expect(result.frames == 0, "the timelapse waits for the end of training")
            } catch { failure = "\(error)" }
        })
        #expect(failure == nil)
        #expect(rendered == [perSnapshot, perSnapshot], "each snapshot's views drawn once")
        let live = try String(contentsOfFile: dir + "/report/index.html", encoding: .utf8)
        #expect(live.contains("const reloadSeconds=\(RunReport.reloadSeconds);"))
        #expect(live.contains("Training: step 40 of 80"))
        #expect(live.contains("The timelapse is drawn when training ends."))
        #expect(!FileManager.default.fileExists(atPath: dir + "/frames"))

        // Stopped at 40 of 80: no reload, a banner saying how to continue, and the timelapse.
        let stopped = try RunReport.write(run: try RunData(path: dir), options: RunReport.Options(viewSize: 96))
        let page = try String(contentsOfFile: stopped.page, encoding: .utf8)
        #expect(page.contains("const reloadSeconds=0;") && page.contains("Stopped at step 40 of 80"))
        // The live writer's views are kept (drawn at this size after their snapshots).
        #expect(stopped.frames == 5 && stopped.views == 0 && stopped.bytes > 0, "\(stopped)")
        for step in [20, 40] {
            for view in RunReport.views(for: ToyProblem(.spiral)) {
                #expect(page.contains("views/\(view.rawValue)-\(step).png"))
            }
        }
        // Another size draws every view again; a snapshot written after its views redraws them.
        let resized = try RunReport.write(run: try RunData(path: dir), options: RunReport.Options(viewSize: 80))
        #expect(resized.views == 2 * perSnapshot)
        let snapshot = RunDirectory(path: dir).snapshotPath(step: 40)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: snapshot)
        let again = try RunReport.write(run: try RunData(path: dir), options: RunReport.Options(viewSize: 80))
        #expect(again.views == perSnapshot)
    }

    @Test("--single-file embeds every picture and frame and links nothing outside the page")
    func singleFile() throws {
        let dir = try Oracle.outputDirectory().appendingPathComponent("single-report-\(UUID().uuidString)").path
        try? FileManager.default.removeItem(atPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try trainTinyRun(tinyRunConfig(seed: 5, steps: 40, probes: 100, logEvery: 10, snapshotEvery: 20), at: dir)
        let result = try RunReport.write(run: try RunData(path: dir), options: RunReport.Options(viewSize: 96, singleFile: true))
        #expect(result.page == dir + "/report.html")
        #expect(!FileManager.default.fileExists(atPath: dir + "/report"))
        let page = try String(contentsOfFile: result.page, encoding: .utf8)
        let sources = try NSRegularExpression(pattern: ##"(?:src|href)="([^"#][^"]*)""##)
            .matches(in: page, range: NSRange(page.startIndex..., in: page)).compactMap { Range($0.range(at: 1), in: page).map { String(page[$0]) } }
        #expect(!sources.isEmpty && sources.allSatisfy { $0.hasPrefix("data:image/png;base64,") })
        // Every frame and view in the script's data, and the first frame and the newest snapshot's
        // views once more in the markup, so the page shows them before its script runs.
        let perSnapshot = RunReport.views(for: ToyProblem(.spiral)).count
        #expect(page.components(separatedBy: "\"data:image/png;base64,").count - 1 == result.frames + result.views + 1 + perSnapshot)
        #expect(result.page.isEmpty == false && result.bytes == page.utf8.count)
        #expect(page.contains("Stopped") == false)
    }
}
