import Foundation
import GANLabCore

/// `DIR/index.html` of `ganlab compare --report DIR` (docs/REPORT.md, "Comparisons"): a static
/// page opened from `file://` with no network request, beside its pictures in `DIR`.
///
/// The page holds the columns (each label, the run, step and generator, links to that run's
/// report page when the run has one), the contact sheet (`DIR/sheet.png`), the metrics table
/// with each column's delta against the first (the numbers of `CompareTable`, so the same as
/// the printed table and `--csv`), and, with a morph, its video `DIR/compare.mp4`, encoded with
/// ffmpeg when it is on the search path; otherwise the page says so and gives the command.
public enum CompareReport {
    /// The contact sheet's name inside the report folder.
    public static let sheetName = "sheet.png"
    /// The morph's frames inside the report folder.
    public static let framesFolder = "frames/compare"
    /// The morph's video inside the report folder.
    public static let videoName = "compare.mp4"

    /// What was written.
    public struct Result: Sendable {
        /// `DIR/index.html`.
        public var page: String
        /// The morph's video, or why there is none; nil without a morph.
        public var video: VideoOutcome?
    }

    /// Writes `folder/index.html` for `sheet`, whose picture is already at `folder/sheet.png`;
    /// a `morph` rendered into the folder is first encoded to `folder/compare.mp4` by `encoder`.
    /// `command` is the command line shown as the way to make the page again.
    public static func write(_ sheet: CompareSheetData, into folder: String, morph: FrameSequenceResult?,
                             command: String, encoder: VideoEncoder = VideoEncoder()) throws -> Result {
        try makeDirectories(folder)
        var video: VideoOutcome?
        if let morph {
            video = try encoder.encode(frames: morph.folder, to: folder + "/" + videoName, format: .mp4, fps: morph.manifest.fps)
        }
        let page = CompareReportPage(sheet: sheet, folder: folder, morph: morph, video: video, command: command)
        try writeAtomically(page.html, to: folder + "/index.html")
        return Result(page: folder + "/index.html", video: video)
    }
}

/// The HTML of a comparison's page: hand-written markup and the reports' one stylesheet; no script.
struct CompareReportPage {
    let sheet: CompareSheetData
    /// The report folder.
    let folder: String
    let morph: FrameSequenceResult?
    let video: VideoOutcome?
    let command: String

    var html: String {
        let title = "compare · \(sheet.problem.kind.rawValue) · " + sheet.columns.map(\.letter).joined(separator: " ")
        var body = "<header><h1>\(HTML.escape(title))</h1><p class=\"lede\">\(HTML.escape(sheet.sharedNote))</p>"
        body += "<dl class=\"facts\"><dt>problem</dt><dd>\(HTML.escape(sheet.problem.description))</dd>"
        body += "<dt>build</dt><dd>ganlab \(HTML.escape(GANLabVersion.current))</dd>"
        body += "<dt>reproduce</dt><dd><code>\(HTML.escape(command))</code></dd></dl></header>"
        body += columnsSection + sheetSection + metricsSection + morphSection
        return ReportStyle.page(title: title, body: body)
    }

    /// Each column's letter, label (linked to its run's report page when there is one) and how its
    /// numbers relate to the run's diagnostics.csv.
    var columnsSection: String {
        let rows = sheet.columns.map { column -> String in
            let text = "\(column.runName) @ step \(column.step)" + (column.generator == .averaged ? " +ema" : "")
                + (column.generatorCaption.map { " (\($0))" } ?? "")
            let report = column.runPath + "/report/index.html"
            let label = FileManager.default.fileExists(atPath: report)
                ? "<a href=\"\(HTML.escape(HTML.href(HTML.relativePath(to: report, from: folder))))\">\(HTML.escape(text))</a>"
                : HTML.escape(text) + " <span class=\"note\">(no report page: <code>ganlab report \(HTML.escape(column.runPath))</code>)</span>"
            return "<tr data-column=\"\(column.letter)\"><th scope=\"row\">\(column.letter)</th><td>\(label)</td>"
                + "<td>\(HTML.escape(column.recordedAgreement))</td></tr>"
        }
        return "<section id=\"columns\"><h2>Columns</h2><table><thead><tr><th scope=\"col\">column</th>"
            + "<th scope=\"col\">snapshot</th><th scope=\"col\">against diagnostics.csv</th></tr></thead><tbody>"
            + rows.joined() + "</tbody></table></section>"
    }

    /// The contact sheet, linked at full size.
    var sheetSection: String {
        let third = sheet.showsFolds ? "det J and folds on the latent plane" : "the mode partition of the latent plane"
        let alt = "contact sheet of \(sheet.title); rows: G(z) on the probes over the target, the tears on the latent plane, \(third)"
        return "<section id=\"sheet\"><h2>Contact sheet</h2><figure><a href=\"\(CompareReport.sheetName)\">"
            + "<img src=\"\(CompareReport.sheetName)\" alt=\"\(HTML.escape(alt))\"></a>"
            + "<figcaption class=\"note\">Columns in argument order; rows: the mapping, the tears, \(third).</figcaption></figure></section>"
    }

    /// The metrics with each further column's delta against the first; every cell carries its
    /// exact value in `data-v` (as `--csv` writes it) and shows it with four significant digits.
    var metricsSection: String {
        let table = sheet.table
        guard let first = table.letters.first else { return "" }
        var head = "<th scope=\"col\">metric</th><th scope=\"col\">\(first)</th>"
        for letter in table.letters.dropFirst() { head += "<th scope=\"col\">\(letter)</th><th scope=\"col\">Δ\(letter)−\(first)</th>" }
        func cell(_ v: Double?, delta: Bool) -> String {
            let shown = delta ? CompareTable.signed(v) : CompareTable.number(v)
            return "<td\(delta ? " class=\"delta\"" : "") data-v=\"\(v.map { "\($0)" } ?? "")\">\(HTML.escape(shown))</td>"
        }
        let rows = table.names.enumerated().map { r, name -> String in
            var row = "<tr data-metric=\"\(HTML.escape(name))\"><th scope=\"row\">\(HTML.escape(name))</th>" + cell(table.values[r][0], delta: false)
            for c in 1..<table.letters.count {
                row += cell(table.values[r][c], delta: false) + cell(table.delta(row: r, column: c), delta: true)
            }
            return row + "</tr>"
        }
        return "<section id=\"metrics\"><h2>Metrics</h2><p class=\"note\">Measured on the sheet's shared probes and a "
            + "\(sheet.gridSize) × \(sheet.gridSize) latent grid with the run diagnostics' settings; "
            + "definitions in docs/METRICS.md §4.</p><div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"metrics table\">"
            + "<table id=\"metrics-table\" class=\"numbers\"><thead><tr>\(head)</tr></thead><tbody>" + rows.joined() + "</tbody></table></div></section>"
    }

    /// The morph's video, or why there is none.
    var morphSection: String {
        guard let morph else {
            return "<section id=\"morph\"><h2>Morph</h2><p>No morph: <code>ganlab compare … --frames N</code> renders one.</p></section>"
        }
        let m = morph.manifest
        let frames = HTML.escape(HTML.href(HTML.relativePath(to: morph.folder, from: folder)))
        let what = sheet.columns.map(\.letter).joined(separator: " → ")
            + ": \(m.count) frames of \(m.width) × \(m.height) px at \(m.fps) fps"
        switch video {
        case .encoded?:
            return "<section id=\"morph\"><h2>Morph</h2><figure><video controls preload=\"metadata\" src=\"\(CompareReport.videoName)\" "
                + "width=\"\(min(m.width, 720))\" aria-label=\"morph \(HTML.escape(what))\"></video>"
                + "<figcaption class=\"note\">\(HTML.escape(what)); the frames are in "
                + "<a href=\"\(frames)/manifest.json\">\(frames)/</a>.</figcaption></figure></section>"
        case .ffmpegMissing?:
            let relative = HTML.relativePath(to: morph.folder, from: folder)
            let command = (["ffmpeg"] + VideoEncoder.arguments(frames: relative, output: CompareReport.videoName, format: .mp4, fps: m.fps))
                .map(VideoEncoder.shellQuoted).joined(separator: " ")
            return "<section id=\"morph\"><h2>Morph</h2><p id=\"no-video\">ffmpeg was absent (not on PATH) when this page was written, "
                + "so no video was encoded. The morph's frames (\(HTML.escape(what))) are in <a href=\"\(frames)/manifest.json\">\(frames)/</a>; "
                + "with ffmpeg installed, <code>\(HTML.escape(command))</code> run in this page's folder encodes them.</p></section>"
        case nil:
            return ""
        }
    }
}

// MARK: - Links

extension HTML {
    /// Characters left as they are in a relative link: a URL path's, less `:` (which would read as
    /// a scheme in the first segment).
    private static let linkCharacters = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: ":"))

    /// A relative file path as an `href` or `src` value: each character a URL path does not allow
    /// (a space, `#`, `?`, `%`) percent-encoded.
    static func href(_ relativePath: String) -> String {
        relativePath.addingPercentEncoding(withAllowedCharacters: linkCharacters) ?? relativePath
    }

    /// `target` relative to the folder `folder` ("../run/report/index.html"); both resolved to
    /// absolute paths with symbolic links followed, so the link works from the page.
    static func relativePath(to target: String, from folder: String) -> String {
        func parts(_ path: String) -> [String] {
            URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().pathComponents.filter { $0 != "/" }
        }
        let to = parts(target), from = parts(folder)
        var common = 0
        while common < min(to.count, from.count) && to[common] == from[common] { common += 1 }
        let path = Array(repeating: "..", count: from.count - common) + to[common...]
        return path.isEmpty ? "." : path.joined(separator: "/")
    }
}
