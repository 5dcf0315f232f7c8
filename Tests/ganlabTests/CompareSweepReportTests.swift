import Foundation
import Testing
import GANLabCore

/// `ganlab compare --report DIR` and the sweep page of `ganlab sweep report`, opened in headless
/// Chromium: nothing logged to the console, every relative link resolves, every picture has alt
/// text, the tables' numbers equal the CSV files, `#sort=-COLUMN` sorts, and the page is not blank.
@Suite("Compare and sweep report pages (built binary, headless Chromium)")
struct CompareSweepReportTests {
    /// A tiny run trained to step 120 (snapshots at 40, 80, 120) in `dir/run`.
    static func tinyRun(in dir: String) throws -> String {
        let experiment = dir + "/tiny.yaml"
        try tinyYAML.replacingOccurrences(of: "steps: 400", with: "steps: 120").write(toFile: experiment, atomically: true, encoding: .utf8)
        let trained = try CLI.run(["run", experiment, "--out", dir + "/run", "--no-render"])
        #expect(trained.status == 0, "\(trained.stderr)")
        return dir + "/run"
    }

    /// Whether ffmpeg is on this process's PATH (the command's children inherit it).
    static var hasFFmpeg: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/ffmpeg") }
    }

    @Test("compare --report: the metrics equal --csv, the columns link to the run's report, the morph is a video or says ffmpeg is absent")
    func compareReport() throws {
        let dir = temporaryFolder("compare-report")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try Self.tinyRun(in: dir)
        let report = try CLI.run(["report", run, "--size", "96"])
        #expect(report.status == 0, "\(report.stderr)")
        let folder = dir + "/cmp"
        let compare = ["compare", run + "@40", run, "--size", "160", "--frames", "2", "--frame-size", "96"]
        let r = try CLI.run(compare + ["--report", folder, "--csv", dir + "/c.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/sheet.png"))
        let (dom, console) = try Chromium.dom("file://\(folder)/index.html")
        #expect(console.isEmpty, "\(console)")
        #expect(try expectLinksResolveAndAltText(dom, folder: folder) >= 3)

        // Each column's label links to the run's report page, relative to the report folder.
        for letter in ["A", "B"] {
            #expect(capture(#"<tr data-column="\#(letter)">.*?<a href="([^"]+)""#, in: dom) == "../run/report/index.html")
        }

        // Every value and delta equals the --csv file's, field for field.
        let csv = try CSVTable.read(path: dir + "/c.csv")
        #expect(csv.columns.count == 4 && csv.rows.count > 10)
        for row in csv.rows {
            let cells = try #require(Self.row(row.fields[0], attribute: "data-metric", in: dom), "no row \(row.fields[0])")
            #expect(cells == Array(row.fields.dropFirst()), "\(row.fields[0]): page \(cells), csv \(row.fields)")
        }

        // The morph: a video when ffmpeg is installed; the page says so when it is not on PATH.
        if Self.hasFFmpeg {
            #expect(FileManager.default.fileExists(atPath: folder + "/compare.mp4"))
            #expect(capture(#"<video[^>]*src="([^"]+)""#, in: dom) == "compare.mp4")
        }
        let bare = try CLI.run(compare + ["--report", dir + "/cmp2"], wrapper: ["/usr/bin/env", "PATH=/nonexistent"])
        #expect(bare.status == 0, "\(bare.stderr)")
        let page = try String(contentsOfFile: dir + "/cmp2/index.html", encoding: .utf8)
        #expect(page.contains("ffmpeg was absent") && !page.contains("<video"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/cmp2/compare.mp4"))

        try Chromium.expectScreenshot("file://\(folder)/index.html", file: dir + "/shot.png")
    }

    @Test("compare --report naming a file: exit 2, one error line, nothing written")
    func compareReportOnAFile() throws {
        let dir = temporaryFolder("compare-report-file")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try Self.tinyRun(in: dir)
        let file = dir + "/page.html"
        try Data("keep".utf8).write(to: URL(fileURLWithPath: file))
        let before = try FileManager.default.subpathsOfDirectory(atPath: dir).sorted()
        for target in [file, file + "/sub"] {
            let r = try CLI.run(["compare", run + "@40", run, "--size", "160", "--frames", "2", "--report", target])
            #expect(r.status == 2, "exit \(r.status): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error: --report ") && lines[0].contains("is a file"), "\(lines)")
            #expect(r.stdout.isEmpty, "\(r.stdout)")
        }
        #expect(try FileManager.default.subpathsOfDirectory(atPath: dir).sorted() == before)
        #expect(FileManager.default.contents(atPath: file) == Data("keep".utf8))
    }

    @Test("sweep report: the runs table equals summary.csv, #sort=-COLUMN sorts it, runs link to their reports and pictures")
    func sweepReport() throws {
        let dir = temporaryFolder("sweep-report")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/tiny.yaml", sweep = dir + "/s"
        try Data(SweepCommandTests.tinySweep.utf8).write(to: URL(fileURLWithPath: file))
        let ran = try CLI.run(["sweep", file, "--out", sweep, "--jobs", "2"])
        #expect(ran.status == 0, "\(ran.stdout)\(ran.stderr)")

        // Without run reports: each run links to its folder, and a run without pictures says so.
        let plain = try String(contentsOfFile: sweep + "/index.html", encoding: .utf8)
        #expect(plain.contains("<a href=\"loss-hinge/seed-1/\">") && plain.contains("no mapping picture</a>"))

        // One run with its own mapping picture; then every run's report page.
        let drawn = try CLI.run(["render", sweep + "/loss-hinge/seed-1", "--view", "mapping", "--size", "120"])
        #expect(drawn.status == 0, "\(drawn.stderr)")
        let reported = try CLI.run(["sweep", "report", file, "--out", sweep, "--run-reports"])
        #expect(reported.status == 0, "\(reported.stdout)\(reported.stderr)")

        // The column to sort by: the metric with the most distinct values.
        let csv = try CSVTable.read(path: sweep + "/summary.csv")
        let (cellC, seedC, metricC, valueC) = try (#require(csv.column("cell")), #require(csv.column("seed")),
                                                   #require(csv.column("metric")), #require(csv.column("value")))
        let byMetric = Dictionary(grouping: csv.rows, by: { $0.fields[metricC] })
        let distinct = byMetric.mapValues { Set($0.map { $0.fields[valueC] }).count }
        let sortColumn = try #require(distinct.keys.sorted().max { distinct[$0]! < distinct[$1]! })

        let url = "file://\(sweep)/index.html#sort=-\(sortColumn)"
        let (dom, console) = try Chromium.dom(url)
        #expect(console.isEmpty, "\(console)")
        #expect(try expectLinksResolveAndAltText(dom, folder: sweep) >= 12)
        #expect(dom.contains("<img src=\"loss-hinge/seed-1/pictures/mapping-30.png\""))
        #expect(dom.contains("<img src=\"loss-hinge/seed-2/report/views/mapping-30.png\""))

        // Every number of summary.csv is in its run's row, in its metric's column.
        let columns = Self.headers(in: dom)
        let rows = Self.runRows(in: dom)
        #expect(rows.count == 4 && Set(rows.map(\.run)).count == 4)
        let cells = Dictionary(rows.map { ($0.run, $0.values) }, uniquingKeysWith: { a, _ in a })
        for row in csv.rows {
            let run = row.fields[cellC] + "/seed-" + row.fields[seedC]
            let column = try #require(columns.firstIndex(of: row.fields[metricC]), "no column \(row.fields[metricC])")
            let expected = row.fields[valueC].isEmpty ? "nan" : row.fields[valueC]
            #expect(cells[run]?[column] == expected, "\(run) \(row.fields[metricC]): page \(cells[run]?[column] ?? "none"), csv \(expected)")
        }
        for run in rows { #expect(capture(#"<a href="([^"]+)""#, in: run.html) == run.run + "/report/index.html") }

        // Opened at #sort=-COLUMN: that column's header says descending and its values never rise, nan last.
        let k = try #require(columns.firstIndex(of: sortColumn))
        #expect(dom.contains("data-col=\"\(sortColumn)\" data-type=\"number\" aria-sort=\"descending\""))
        #expect(Self.isSorted(rows.map { $0.values[k] }, descending: true), "\(sortColumn) descending: \(rows.map { $0.values[k] })")
        #expect(Set(rows.map { $0.values[k] }).count > 1, "\(sortColumn) has one value, so the order shows nothing")
        let ascending = Self.runRows(in: try Chromium.dom("file://\(sweep)/index.html#sort=\(sortColumn)").dom)
        #expect(Self.isSorted(ascending.map { $0.values[k] }, descending: false), "\(sortColumn): \(ascending.map { $0.values[k] })")

        try Chromium.expectScreenshot(url, file: dir + "/shot.png")
    }

    // MARK: - Reading the DOM

    /// Whether `values` are numbers in order (never rising when `descending`), nan after them all.
    static func isSorted(_ values: [String], descending: Bool) -> Bool {
        let numbers = values.map { Double($0) ?? .nan }
        let finite = numbers.prefix { !$0.isNaN }
        return zip(finite, finite.dropFirst()).allSatisfy { descending ? $0 >= $1 : $0 <= $1 }
            && numbers.dropFirst(finite.count).allSatisfy(\.isNaN)
    }

    /// The `data-v` values of the row whose `attribute` is `key`.
    static func row(_ key: String, attribute: String, in dom: String) -> [String]? {
        guard let html = capture(#"<tr \#(attribute)="\#(NSRegularExpression.escapedPattern(for: key))"[^>]*>(.*?)</tr>"#, in: dom)
        else { return nil }
        return values(in: html)
    }

    /// Every `data-v` value in `html`, in order.
    static func values(in html: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: #"<td[^>]*?data-v="([^"]*)""#)
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html))
            .compactMap { Range($0.range(at: 1), in: html).map { String(html[$0]) } }
    }

    /// The runs table's column names, in order.
    static func headers(in dom: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: #"<th scope="col" data-col="([^"]+)""#)
        return regex.matches(in: dom, range: NSRange(dom.startIndex..., in: dom))
            .compactMap { Range($0.range(at: 1), in: dom).map { String(dom[$0]) } }
    }

    /// The runs table's rows in page order: run folder, cell values, markup.
    static func runRows(in dom: String) -> [(run: String, values: [String], html: String)] {
        let regex = try! NSRegularExpression(pattern: #"<tr data-run="([^"]+)"[^>]*>(.*?)</tr>"#, options: .dotMatchesLineSeparators)
        return regex.matches(in: dom, range: NSRange(dom.startIndex..., in: dom)).compactMap { m in
            guard let run = Range(m.range(at: 1), in: dom), let html = Range(m.range(at: 2), in: dom) else { return nil }
            return (String(dom[run]), values(in: String(dom[html])), String(dom[html]))
        }
    }
}
