import Foundation
import GANLabCore

/// `index.html` of a sweep's folder (docs/REPORT.md, "Sweeps"), written by `ganlab sweep report`
/// beside summary.csv, summary.md and summary.png; opened from `file://` with no network request.
///
/// The page holds one table row per complete run (its cell's settings, seed, step and every
/// final metric, the numbers of summary.csv), sortable by any column from a button in its
/// header or from the address (`#sort=COLUMN`, `#sort=-COLUMN` for descending); the mean ±
/// standard error per cell (as summary.md); the strip plots (summary.png); a contact sheet of
/// each run's final mapping picture; and a link to every run's report page, or to its folder
/// when it has none. Every link is relative, so the sweep folder moves as a whole.
public enum SweepReport {
    /// Writes `index.html` into the sweep's folder; returns its path.
    public static func write(_ summary: SweepSummary, in directory: SweepDirectory) throws -> String {
        let path = directory.path + "/index.html"
        try writeAtomically(SweepReportPage(summary: summary, directory: directory).html, to: path)
        return path
    }

    /// Writes the report page of every complete run (`RunReport`), calling `written` after each.
    public static func writeRunReports(_ summary: SweepSummary, in directory: SweepDirectory, viewSize: Int = 256,
                                       written: (RunReport.Result) -> Void = { _ in }) throws {
        for values in summary.runs {
            written(try RunReport.write(run: try RunData(path: directory.runPath(values.run)), options: RunReport.Options(viewSize: viewSize)))
        }
    }
}

/// The HTML of a sweep's page: hand-written markup, the reports' one stylesheet, and a small
/// script that sorts the runs table.
struct SweepReportPage {
    let summary: SweepSummary
    let directory: SweepDirectory

    var plan: SweepPlan { summary.plan }

    var html: String {
        let title = "sweep \(plan.name)"
        return ReportStyle.page(title: title, body: "\(header)\(runsSection)\(cellsSection)\(stripsSection)\(contactSection)",
                                script: Self.behaviour)
    }

    // MARK: - Sections

    var header: String {
        let grid = !plan.gridKeys.isEmpty
            ? plan.gridKeys.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: " × ") + " · \(plan.cells.count) cells"
            : plan.cells.count > 1 ? "none; one cell per base experiment" : "none (seeds only)"
        var facts: [(String, String)] = [
            ("sweep file", "<code>\(HTML.escape(plan.file))</code>"),
            ("base experiment" + (plan.experiments.count == 1 ? "" : "s"), plan.experiments.map(HTML.escape).joined(separator: ", ")),
            ("grid", grid),
            ("seeds", HTML.escape(SweepSummary.seedList(plan.seeds))),
            ("threads per run", "\(plan.threads)"),
            ("complete", "\(summary.runs.count) of \(plan.runs.count) runs"),
            ("files", ["summary.csv", "summary.md", "summary.png"].map { "<a href=\"\($0)\">\($0)</a>" }.joined(separator: " · ")),
            ("build", "ganlab \(HTML.escape(GANLabVersion.current))"),
            ("reproduce", "<code>ganlab sweep \(HTML.escape(plan.file))</code>, then "
                + "<code>ganlab sweep report \(HTML.escape(plan.file)) --run-reports</code>"),
        ]
        if !plan.description.isEmpty { facts.insert(("about", HTML.escape(plan.description)), at: 0) }
        return "<header><h1>\(HTML.escape("sweep " + plan.name))</h1><dl class=\"facts\">"
            + facts.map { "<dt>\(HTML.escape($0.0))</dt><dd>\($0.1)</dd>" }.joined() + "</dl></header>"
    }

    /// One row per complete run; each cell's exact value in `data-v` (as summary.csv writes it, nan
    /// for a missing or non-finite value), shown with four significant digits.
    var runsSection: String {
        let metrics = summary.metricNames
        var columns: [(name: String, numeric: Bool)] = [("run", false)]
        if plan.experiments.count > 1 { columns.append(("experiment", false)) }
        for (k, key) in plan.gridKeys.enumerated() {
            columns.append((key, summary.runs.allSatisfy { Double(plan.cells[$0.run.cell].settings[k].value) != nil }))
        }
        columns += [("seed", true), ("step", true)] + metrics.map { ($0, true) }
        let head = columns.map {
            "<th scope=\"col\" data-col=\"\(HTML.escape($0.name))\"\($0.numeric ? " data-type=\"number\"" : "")>"
                + "<button type=\"button\">\(HTML.escape($0.name))</button></th>"
        }.joined()
        let rows = summary.runs.map { values -> String in
            let run = values.run, cell = plan.cells[run.cell]
            var cells = ["<td data-v=\"\(HTML.escape(run.folder))\"><a href=\"\(HTML.escape(link(run)))\">\(HTML.escape(run.folder))</a></td>"]
            if plan.experiments.count > 1 { cells.append(text(cell.experiment)) }
            let offset = plan.experiments.count > 1 ? 2 : 1
            cells += cell.settings.enumerated().map { k, setting in text(setting.value, numeric: columns[offset + k].numeric) }
            cells += [text("\(run.seed)", numeric: true), text("\(values.step)", numeric: true)]
            let byName = Dictionary(values.values.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            cells += metrics.map { name in
                guard let v = byName[name] else { return "<td class=\"n\" data-v=\"nan\">—</td>" }
                return "<td class=\"n\" data-v=\"\(v.isFinite ? "\(v)" : "nan")\">\(HTML.escape(HTML.number(v)))</td>"
            }
            return "<tr data-run=\"\(HTML.escape(run.folder))\" data-i=\"\(run.index)\">" + cells.joined() + "</tr>"
        }
        var section = "<section id=\"runs-section\"><h2>Runs</h2><p class=\"note\">Each run's final diagnostics and losses "
            + "(summary.csv). A header's button sorts by that column (again: the other way); numbers sort numerically, nan last; "
            + "the address ends in <code>#sort=COLUMN</code> or <code>#sort=-COLUMN</code>.</p>"
            + "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"runs table\"><table id=\"runs\">"
            + "<thead><tr>\(head)</tr></thead><tbody>\(rows.joined())</tbody></table></div>"
        if !summary.missing.isEmpty {
            section += "<p>Not complete (\(summary.missing.count)): " + summary.missing.map {
                "<a href=\"\(HTML.escape(link($0)))\">\(HTML.escape($0.folder))</a>"
            }.joined(separator: ", ") + "</p>"
        }
        return section + "</section>"
    }

    /// Mean ± standard error (n) of each headline metric per cell, as summary.md.
    var cellsSection: String {
        let names = SweepSummary.headline.filter(summary.metricNames.contains)
        let head = (["cell"] + plan.gridKeys + ["complete"] + names).map { "<th scope=\"col\">\(HTML.escape($0))</th>" }.joined()
        let rows = plan.cells.enumerated().map { c, cell -> String in
            let complete = summary.runs.filter { $0.run.cell == c }.count
            return "<tr><th scope=\"row\">\(HTML.escape(cell.name))</th>" + cell.settings.map { "<td>\(HTML.escape($0.value))</td>" }.joined()
                + "<td>\(complete) of \(plan.seeds.count)</td>"
                + names.map { "<td>\(HTML.escape(SweepSummary.format(summary.statistic($0, cell: c), metric: $0)))</td>" }.joined() + "</tr>"
        }
        return "<section id=\"cells\"><h2>Cells</h2><p class=\"note\">Mean ± standard error over seeds (sample standard "
            + "deviation / √n), with n, at each run's last snapshot (summary.md).</p>"
            + "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"cells table\"><table id=\"cells-table\">"
            + "<thead><tr>\(head)</tr></thead><tbody>\(rows.joined())</tbody></table></div></section>"
    }

    var stripsSection: String {
        let alt = "strip plots of sweep \(plan.name): one per headline metric, each seed a dot in its cell's column with the "
            + "mean and ± one standard error, then every run's final samples, rows cells and columns seeds"
        return "<section id=\"strips\"><h2>Strip plots</h2><figure><a href=\"summary.png\"><img src=\"summary.png\" "
            + "alt=\"\(HTML.escape(alt))\"></a></figure></section>"
    }

    /// Each run's final mapping picture, rows cells and columns seeds, linked to the run's page.
    var contactSection: String {
        let steps = Dictionary(summary.runs.map { ($0.run.index, $0.step) }, uniquingKeysWith: { a, _ in a })
        let head = "<th scope=\"col\">cell</th>" + plan.seeds.map { "<th scope=\"col\">seed \($0)</th>" }.joined()
        let rows = plan.cells.enumerated().map { c, cell -> String in
            let runs = plan.runs.filter { $0.cell == c }
            return "<tr><th scope=\"row\">\(HTML.escape(cell.name))</th>" + runs.map { run -> String in
                let href = HTML.escape(link(run))
                guard let step = steps[run.index] else {
                    return "<td class=\"none\"><a href=\"\(href)\">not complete</a></td>"
                }
                guard let picture = still(run, step: step) else {
                    return "<td class=\"none\"><a href=\"\(href)\">no mapping picture</a></td>"
                }
                return "<td><figure><a href=\"\(href)\"><img src=\"\(HTML.escape(HTML.href(picture.file)))\" loading=\"lazy\" "
                    + "alt=\"the mapping of \(HTML.escape(run.folder)) at step \(picture.step)\"></a>"
                    + "<figcaption>step \(picture.step)</figcaption></figure></td>"
            }.joined() + "</tr>"
        }
        return "<section id=\"contact\"><h2>Contact sheet</h2><p class=\"note\">Each run's mapping picture at its last "
            + "snapshot (<code>pictures/mapping-STEP.png</code>, else its report's view); a picture opens the run's report. "
            + "For a run without one, <code>ganlab render RUN --view mapping</code> draws it, or <code>ganlab sweep report "
            + "\(HTML.escape(plan.file)) --run-reports</code> writes every run's report with its views.</p>"
            + "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"contact sheet\"><table class=\"contact\">"
            + "<thead><tr>\(head)</tr></thead><tbody>\(rows.joined())</tbody></table></div></section>"
    }

    // MARK: - Links and pictures

    /// The run's report page when written, else its folder, relative to the sweep folder.
    func link(_ run: SweepPlan.Run) -> String {
        let page = run.folder + "/report/index.html"
        return HTML.href(FileManager.default.fileExists(atPath: directory.path + "/" + page) ? page : run.folder + "/")
    }

    /// The run's mapping picture at `step` (`pictures/mapping-STEP.png`, else the report's
    /// `report/views/mapping-STEP.png`), else its newest `pictures/mapping-N.png`; relative to the
    /// sweep folder.
    func still(_ run: SweepPlan.Run, step: Int) -> (file: String, step: Int)? {
        let fm = FileManager.default
        for name in ["pictures/mapping-\(step).png", "report/views/mapping-\(step).png"]
        where fm.fileExists(atPath: directory.runPath(run) + "/" + name) {
            return (run.folder + "/" + name, step)
        }
        let names = (try? fm.contentsOfDirectory(atPath: directory.runPath(run) + "/pictures")) ?? []
        let steps = names.compactMap { name -> Int? in
            guard name.hasPrefix("mapping-"), name.hasSuffix(".png") else { return nil }
            return Int(name.dropFirst("mapping-".count).dropLast(".png".count))
        }
        return steps.max().map { (run.folder + "/pictures/mapping-\($0).png", $0) }
    }

    private func text(_ value: String, numeric: Bool = false) -> String {
        "<td\(numeric ? " class=\"n\"" : "") data-v=\"\(HTML.escape(value))\">\(HTML.escape(value))</td>"
    }

    // MARK: - Script

    /// Sorts the runs table by a column: numbers numerically with nan last either way, text in
    /// natural order, ties in plan order; from a header's button or from `#sort=[-]COLUMN`.
    static let behaviour = """
        const table=document.getElementById('runs'),body=table.tBodies[0],heads=[...table.tHead.rows[0].cells];
        function sortBy(name,desc){const k=heads.findIndex(th=>th.dataset.col===name);if(k<0)return false;
          const num=heads[k].dataset.type==='number',sign=desc?-1:1;
          const rows=[...body.rows].map(tr=>{const v=tr.cells[k].dataset.v;return [tr,num?parseFloat(v):v,+tr.dataset.i];});
          rows.sort((a,b)=>{if(num){const an=isNaN(a[1]),bn=isNaN(b[1]);if(an||bn)return an===bn?a[2]-b[2]:(an?1:-1);
              return sign*(a[1]-b[1])||a[2]-b[2];}
            return sign*a[1].localeCompare(b[1],undefined,{numeric:true})||a[2]-b[2];});
          rows.forEach(r=>body.appendChild(r[0]));
          heads.forEach((th,j)=>{if(j===k)th.setAttribute('aria-sort',desc?'descending':'ascending');else th.removeAttribute('aria-sort');});
          return true;}
        heads.forEach(th=>th.querySelector('button').addEventListener('click',()=>{
          const desc=th.getAttribute('aria-sort')==='ascending';
          if(sortBy(th.dataset.col,desc))history.replaceState(null,'','#sort='+(desc?'-':'')+encodeURIComponent(th.dataset.col));}));
        function fromHash(){const m=/^#sort=(-?)(.+)$/.exec(location.hash);if(m)sortBy(decodeURIComponent(m[2]),m[1]==='-');}
        window.addEventListener('hashchange',fromHash);fromHash();
        """
}
