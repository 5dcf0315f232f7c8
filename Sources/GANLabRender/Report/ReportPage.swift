import Foundation
import GANLabCore

/// The HTML of a run's report page (`RunReport`): hand-written markup, one stylesheet and one
/// script inline, data embedded as JSON. No network request, no external file but the run's own.
struct ReportPage {
    /// A snapshot's views, each a `src` (a path relative to the report folder, or a data URI).
    struct Snapshot {
        var step: Int
        var views: [(view: ViewKind, src: String)]
    }

    let run: RunData
    let data: ReportData
    let status: RunReport.Status
    /// Timelapse frames (`src` as for views) with their steps; empty while training.
    let frames: [(src: String, step: Int)]
    let snapshots: [Snapshot]
    /// Encoded videos by name, `src` as for views.
    let videos: [(name: String, src: String)]

    var html: String {
        let config = run.config
        let title = "\(config.problem.rawValue) · \(run.name)"
        var body = "<header><h1>\(HTML.escape(title))</h1>"
        body += "<p class=\"lede\">\(HTML.escape(config.description.isEmpty ? run.problem.description : config.description))</p>"
        body += "<dl class=\"facts\">" + header.map { "<dt>\(HTML.escape($0.0))</dt><dd>\($0.1)</dd>" }.joined() + "</dl>"
        body += banner + "</header>"
        body += timelapseSection + snapshotSection + curvesSection + videosSection + definitionsSection
        return ReportStyle.page(title: title, body: body, script: script)
    }

    // MARK: - Header

    /// (label, HTML) pairs for the header list.
    private var header: [(String, String)] {
        let config = run.config
        var rows: [(String, String)] = [("problem", HTML.escape(run.problem.description)),
                                        ("seed", "\(config.seed)")]
        let last = run.lastStep ?? 0
        rows.append(("steps", "\(last) of \(config.train.steps)"))
        if let speed = trainingSpeed { rows.append(("training speed", String(format: "%.1f steps/s", speed))) }
        let changed = Self.differences(config)
        rows.append(("settings that differ from the defaults",
                     changed.isEmpty ? "none" : "<code>" + changed.map(HTML.escape).joined(separator: "</code>, <code>") + "</code>"))
        rows.append(("build", "ganlab \(GANLabVersion.current)"))
        rows.append(("reproduce", "<code>ganlab run \(HTML.escape(run.run.configPath)) --out NEW-FOLDER</code>"))
        return rows
    }

    /// Where the run stands: training (the page reloads itself), stopped early, or nothing.
    private var banner: String {
        let last = run.lastStep ?? 0, total = run.config.train.steps
        switch status {
        case .finished:
            return ""
        case .stopped:
            return "<p class=\"banner\">Stopped at step \(last) of \(total). Continue with "
                + "<code>ganlab run --resume \(HTML.escape(run.run.path))</code>, then <code>ganlab report</code> again.</p>"
        case .training(let step):
            let time = DateFormatter.localizedString(from: Date(), dateStyle: .none, timeStyle: .medium)
            return "<p class=\"banner live\" id=\"live\">Training: step \(step) of \(total), page written at \(HTML.escape(time)). "
                + "It reloads every \(RunReport.reloadSeconds) s until training ends; if the run was killed, "
                + "<code>ganlab report \(HTML.escape(run.run.path))</code> writes the final page.</p>"
        }
    }

    /// Steps per second over the whole run, from the last row of metrics.csv (step / wall seconds).
    private var trainingSpeed: Double? {
        guard let table = data.metrics, let row = table.rows.last,
              let s = table.column("step"), let w = table.column("wall_seconds"),
              let step = Double(row.fields[s]), let wall = Double(row.fields[w]), wall > 0 else { return nil }
        return step / wall
    }

    /// `key: value` for every setting whose value differs from the built-in default.
    static func differences(_ config: ExperimentConfig) -> [String] {
        var base = ExperimentConfig()
        base.problem = config.problem
        let defaults = Dictionary(flatten(base.yamlText), uniquingKeysWith: { a, _ in a })
        // The kernel plan is how this machine multiplies, not a setting of the experiment.
        return flatten(config.yamlText).filter { defaults[$0.key] != $0.value && !["description", "train.kernels"].contains($0.key) }
            .map { "\($0.key): \($0.value)" }
    }

    /// The resolved YAML's leaves as (dotted key, value), in file order (the lab's own YAML:
    /// two spaces of indent a level, one `key: value` a line).
    static func flatten(_ yaml: String) -> [(key: String, value: String)] {
        var path: [String] = []
        var leaves: [(key: String, value: String)] = []
        for line in yaml.split(separator: "\n") where !line.hasPrefix("#") {
            let depth = line.prefix { $0 == " " }.count / 2
            let text = line.drop { $0 == " " }
            guard let colon = text.firstIndex(of: ":") else { continue }
            let key = String(text[..<colon]), value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            path = Array(path.prefix(depth))
            if value.isEmpty { path.append(key) } else { leaves.append(((path + [key]).joined(separator: "."), value)) }
        }
        return leaves
    }
}
