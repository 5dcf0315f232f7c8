import Foundation
import Testing
import GANLabCore

@Suite("Report page (built binary, headless Chromium)")
struct ReportBrowserTests {
    @Test("the page opens at #frame=k, its table equals diagnostics.csv, every link resolves, and it is not blank")
    func reportInChromium() throws {
        let dir = temporaryFolder("report")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let experiment = dir + "/tiny.yaml"
        try tinyYAML.replacingOccurrences(of: "steps: 400", with: "steps: 120")
            .write(toFile: experiment, atomically: true, encoding: .utf8)
        let run = dir + "/run"
        let trained = try CLI.run(["run", experiment, "--out", run])
        #expect(trained.status == 0, "\(trained.stderr)")
        let report = try CLI.run(["report", run, "--size", "160"])
        #expect(report.status == 0, "\(report.stderr)")
        let page = run + "/report/index.html"
        let json = try JSONSerialization.jsonObject(with: contents(run + "/frames/timelapse/manifest.json")) as? [String: Any]
        let frames = try #require(json?["frames"] as? [[String: Any]])
        let k = 7
        let (dom, console) = try Chromium.dom("file://\(page)#frame=\(k)")

        // The scrubber spans the frames and the hash opened frame k.
        #expect(capture(#"id="scrubber"[^>]*max="(\d+)""#, in: dom).flatMap(Int.init) == frames.count - 1)
        #expect(capture(#"id="frame" src="([^"]+)""#, in: dom) == "../frames/timelapse/" + (frames[k]["file"] as? String ?? "?"))
        #expect(dom.contains("frame \(k) · step \(frames[k]["step"] as? Int ?? -1)"))

        // The table shows the newest snapshot's row of diagnostics.csv.
        let table = try CSVTable.read(path: run + "/diagnostics.csv")
        let last = try #require(table.rows.last)
        var compared = 0
        for (column, text) in zip(table.columns, last.fields).dropFirst() {
            guard let expected = Double(text), expected.isFinite,
                  let shown = capture(#"<tr data-metric="\#(column)"><th>[^<]*</th><td>([^<]*)</td>"#, in: dom).flatMap(Double.init)
            else { continue }
            #expect(abs(shown - expected) <= 1e-5 * max(1, abs(expected)), "\(column): page \(shown), csv \(expected)")
            compared += 1
        }
        #expect(compared >= table.columns.count - 3, "compared \(compared) of \(table.columns.count - 1) metrics")

        // No broken relative link, and every picture has alt text.
        #expect(try expectLinksResolveAndAltText(dom, folder: run + "/report") > 0)

        // The page logs nothing: any console message, an error or an uncaught exception among them,
        // fails the test.
        #expect(console.isEmpty, "\(console)")

        // A screenshot decodes and is not blank.
        try Chromium.expectScreenshot("file://\(page)#frame=\(k)", file: dir + "/shot.png")
    }
}
