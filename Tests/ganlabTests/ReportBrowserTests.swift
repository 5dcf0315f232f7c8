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
        // `run --report` writes the page while training and a final one, which no longer reloads.
        let trained = try CLI.run(["run", experiment, "--out", run, "--report"])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stdout.contains("report     \(run)/report/index.html"))
        let page = run + "/report/index.html"
        #expect(try String(contentsOfFile: page, encoding: .utf8).contains("const reloadSeconds=0;"))
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
                  let shown = capture(#"<tr data-metric="\#(column)"><th><a [^>]*>[^<]*</a></th><td>([^<]*)</td>"#, in: dom).flatMap(Double.init)
            else { continue }
            #expect(abs(shown - expected) <= 1e-5 * max(1, abs(expected)), "\(column): page \(shown), csv \(expected)")
            compared += 1
        }
        #expect(compared >= table.columns.count - 3, "compared \(compared) of \(table.columns.count - 1) metrics")
        // Beside each metric, what a perfect generator scores: the oracle map (no tear) and the
        // documented noise floor of true samples.
        func floor(_ metric: String) -> Double? {
            capture(#"<tr data-metric="\#(metric)"><th><a [^>]*>[^<]*</a></th><td>[^<]*</td><td>([^<]*)</td>"#, in: dom).flatMap(Double.init)
        }
        #expect(floor("tear_mass") == 0)
        let precision = ManifoldReference.of(ToyProblem(.spiral)).noiseFloor.precision
        #expect(abs((floor("precision_k3") ?? -1) - precision) <= 1e-5, "page \(floor("precision_k3") ?? -1), floor \(precision)")

        // No broken relative link, every picture has alt text, and every metric links to its
        // definition on the page.
        #expect(try expectLinksResolveAndAltText(dom, folder: run + "/report") > 0)
        let anchors = try NSRegularExpression(pattern: ##"href="#def-([a-z0-9_]+)""##)
            .matches(in: dom, range: NSRange(dom.startIndex..., in: dom)).compactMap { Range($0.range(at: 1), in: dom).map { String(dom[$0]) } }
        #expect(anchors.count == table.columns.count - 1)
        for anchor in anchors { #expect(dom.contains("id=\"def-\(anchor)\""), "no definition of \(anchor)") }

        // The page logs nothing: any console message, an error or an uncaught exception among them,
        // fails the test.
        #expect(console.isEmpty, "\(console)")

        // A screenshot decodes and is not blank.
        try Chromium.expectScreenshot("file://\(page)#frame=\(k)", file: dir + "/shot.png")

        // --single-file: one page with every picture embedded, which works on its own.
        let single = try CLI.run(["report", run, "--size", "120", "--single-file"])
        #expect(single.status == 0, "\(single.stderr)")
        let alone = dir + "/alone.html"
        try FileManager.default.moveItem(atPath: run + "/report.html", toPath: alone)
        let (singleDOM, singleConsole) = try Chromium.dom("file://\(alone)#frame=\(k)")
        #expect(singleConsole.isEmpty, "\(singleConsole)")
        #expect(links(in: singleDOM).allSatisfy { $0.hasPrefix("data:") }, "a link outside the page")
        #expect(capture(#"id="frame" src="(data:image/png;base64,[A-Za-z0-9+/]{16})"#, in: singleDOM) != nil)
        #expect(singleDOM.contains("frame \(k) · step \(frames[k]["step"] as? Int ?? -1)"))
    }
}
