import Foundation
import Testing
import GANLabCore

/// Headless Chromium (Debian's `chromium`, installed by `make test`): `--dump-dom` prints the
/// DOM after the page's scripts ran, `--screenshot` writes a PNG.
private enum Chromium {
    static let path = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs chromium headless with `arguments`; returns (stdout, stderr).
    static func run(_ arguments: [String]) throws -> (String, String) {
        let r = try runProcess(try #require(path, "chromium is not installed (make test installs it)"),
                               ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"] + arguments)
        return (r.stdout, r.stderr)
    }
}

/// The first match of `pattern`'s first group in `text`.
private func capture(_ pattern: String, in text: String) -> String? {
    guard let regex = try? NSRegularExpression(pattern: pattern),
          let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
          let r = Range(m.range(at: 1), in: text) else { return nil }
    return String(text[r])
}

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
        let (dom, log) = try Chromium.run(["--dump-dom", "file://\(page)#frame=\(k)"])

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
        let folder = URL(fileURLWithPath: page).deletingLastPathComponent()
        let regex = try NSRegularExpression(pattern: ##"(?:src|href)="([^"#]+)""##)
        let links = regex.matches(in: dom, range: NSRange(dom.startIndex..., in: dom)).compactMap { Range($0.range(at: 1), in: dom).map { String(dom[$0]) } }
        #expect(!links.isEmpty)
        for link in links where !link.contains(":") {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(link).path), "broken link \(link)")
        }
        let withoutAlt = try NSRegularExpression(pattern: #"<img(?![^>]*alt=")[^>]*>"#)
            .numberOfMatches(in: dom, range: NSRange(dom.startIndex..., in: dom))
        #expect(withoutAlt == 0, "\(withoutAlt) pictures without alt text")

        // The page logs nothing: any console message (Chromium prints them as ":CONSOLE" lines with
        // no level), an error or an uncaught exception among them, fails the test.
        let console = log.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(console.isEmpty, "\(console)")

        // A screenshot decodes and is not blank.
        let shot = dir + "/shot.png"
        _ = try Chromium.run(["--screenshot=\(shot)", "--window-size=1000,1400", "file://\(page)#frame=\(k)"])
        let picture = try PNGDecoder.decode([UInt8](try #require(FileManager.default.contents(atPath: shot))))
        let mean = picture.gray.reduce(0, +) / Float(picture.gray.count)
        let variance = picture.gray.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(picture.gray.count)
        #expect(picture.width == 1000 && variance > 0.005, "blank screenshot? variance \(variance)")
    }
}
