import Foundation
import GANLabCore

// MARK: - The page's sections, stylesheet and script

extension ReportPage {
    /// The scrubber over the timelapse frames.
    var timelapseSection: String {
        guard let first = frames.first else {
            let why: String
            if case .training = status { why = "The timelapse is drawn when training ends." }
            else { why = "This run traced no frames (output.frameEvery: 0)." }
            return "<section id=\"timelapse\"><h2>Timelapse</h2><p>\(why)</p></section>"
        }
        return """
            <section id="timelapse"><h2>Timelapse</h2>
            <figure><img id="frame" src="\(HTML.escape(first.src))" alt="the mapping at step \(first.step): latent plane and G(z) over the target" width="720">
            <figcaption id="frame-label">frame 0 · step \(first.step)</figcaption></figure>
            <div class="controls"><button id="play" type="button">Play</button>
            <input id="scrubber" type="range" min="0" max="\(frames.count - 1)" value="0" aria-label="timelapse frame">
            <span class="hint">← → step one frame; the address ends in #frame=N</span></div>
            </section>
            """
    }

    /// The snapshot selector, its views and the diagnostics table.
    var snapshotSection: String {
        guard let last = snapshots.last else {
            return "<section id=\"snapshot\"><h2>Snapshots</h2><p>No snapshot yet.</p></section>"
        }
        let options = snapshots.map { "<option value=\"\($0.step)\"\($0.step == last.step ? " selected" : "")>step \($0.step)</option>" }
        let figures = last.views.map { view, src in
            "<figure data-view=\"\(view.rawValue)\"><img src=\"\(HTML.escape(src))\" alt=\"\(HTML.escape(view.summary)) at step \(last.step)\">"
                + "<figcaption>\(view.rawValue): \(HTML.escape(view.summary))</figcaption></figure>"
        }
        return """
            <section id="snapshot"><h2>Snapshot</h2>
            <label>snapshot <select id="snapshot-select">\(options.joined())</select></label>
            <div class="views">\(figures.joined())</div>
            <h3>Diagnostics at this snapshot</h3>
            <table id="diagnostics"><thead><tr><th>metric</th><th>value</th><th>perfect generator</th></tr></thead><tbody></tbody></table>
            <p class="note">“perfect generator”: the metric's noise floor, what an exact generator scores. \(floorNote) Each metric links to its <a href="#definitions">definition</a>.</p>
            </section>
            """
    }

    /// Where the "perfect generator" column's values come from.
    private var floorNote: String {
        run.problem.hasOracle
            ? "Sample metrics: the problem's oracle map (docs/METRICS.md §1) on the run's 2,500 latents, and for precision, recall, density and coverage 2,500 fresh true samples; map metrics: the oracle map on the run's latent grid."
            : "Sample metrics: 2,500 fresh samples of the target file. A file target has no oracle map, so the map metrics have no floor."
    }

    /// The training log and every diagnostic against the step, as inline SVG.
    var curvesSection: String {
        var charts: [String] = []
        let events = data.events
        if let metrics = data.metrics {
            for (title, columns) in [("losses", ["d_loss", "g_loss"]), ("mean D(real) − D(fake)", ["d_real_minus_fake"]),
                                     ("gradient norms", ["grad_norm_d", "grad_norm_g"])] {
                if let svg = chart(title, table: metrics, columns: columns, events: events) { charts.append(svg) }
            }
        }
        if let diagnostics = data.diagnostics {
            for column in diagnostics.columns.dropFirst() where Self.isCurve(column) {
                if let svg = chart(column, table: diagnostics, columns: [column], events: events) { charts.append(svg) }
            }
        }
        return "<section id=\"curves\"><h2>Curves</h2><p class=\"note\">Hover a curve for its values; dashed lines are "
            + "the timeline's events.</p><div class=\"charts\">" + charts.joined() + "</div></section>"
    }

    /// The videos in `RUN/videos/`, when encoded.
    var videosSection: String {
        guard !videos.isEmpty else { return "" }
        return "<section id=\"videos\"><h2>Videos</h2>" + videos.map {
            "<figure><video controls preload=\"metadata\" src=\"\(HTML.escape($0.src))\" aria-label=\"video \(HTML.escape($0.name))\"></video>"
                + "<figcaption>\(HTML.escape($0.name))</figcaption></figure>"
        }.joined() + "</section>"
    }

    /// Each diagnostic's definition, with the section of docs/METRICS.md that defines it in full.
    var definitionsSection: String {
        var keys: [String] = []
        for column in data.diagnostics?.columns.dropFirst() ?? [] where !keys.contains(MetricGlossary.key(column)) {
            keys.append(MetricGlossary.key(column))
        }
        guard !keys.isEmpty else { return "" }
        let items = keys.map { key -> String in
            let entry = MetricGlossary.entry(key)
            let cited = "docs/METRICS.md " + (entry?.sections ?? ["4"]).map { "§" + $0 }.joined(separator: ", ")
            return "<dt id=\"def-\(HTML.escape(key))\"><code>\(HTML.escape(key))</code></dt><dd>"
                + HTML.escape(entry?.definition ?? "not described here") + " <span class=\"note\">(\(cited))</span></dd>"
        }
        return "<section id=\"definitions\"><h2>Definitions</h2><p class=\"note\">In full, with their sources and checks, in "
            + "docs/METRICS.md of the ganlab source.</p><dl class=\"definitions\">" + items.joined() + "</dl></section>"
    }

    /// Diagnostics columns drawn as curves: every metric but the per-mode counts and the constants.
    static func isCurve(_ column: String) -> Bool {
        MetricGlossary.key(column) == column && !NoiseFloor.settings.contains(column)
    }

    private func chart(_ title: String, table: CSVTable, columns: [String],
                       events: [(Double, String)]) -> String? {
        guard let stepColumn = table.column("step") else { return nil }
        let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"]
        let series = columns.enumerated().compactMap { index, name -> SVGLineChart.Series? in
            guard let c = table.column(name) else { return nil }
            let points = table.rows.compactMap { row -> (Double, Double)? in
                guard let x = Double(row.fields[stepColumn]), let y = Double(row.fields[c]) else { return nil }
                return (x, y)
            }
            return SVGLineChart.Series(name: name, color: colors[index % colors.count], points: points)
        }
        return SVGLineChart(title: title, series: series, events: events).svg
    }

    // MARK: - Script

    /// The page's data (frames, snapshots' views and diagnostics, noise floors) and its behaviour.
    var script: String {
        var reloadSeconds = 0
        if case .training = status { reloadSeconds = RunReport.reloadSeconds }
        let frameList = frames.map { "[\(HTML.jsonString($0.src)),\($0.step)]" }.joined(separator: ",")
        var rows: [String] = []
        var columns: [String] = []
        if let table = data.diagnostics {
            columns = table.columns
            // JavaScript has no literal for NaN or ±∞: a non-finite value is null, shown as "nan".
            rows = table.rows.map { "[" + $0.fields.map { Double($0).flatMap { $0.isFinite ? "\($0)" : nil } ?? "null" }.joined(separator: ",") + "]" }
        }
        let floors = "{" + data.floors.keys.sorted().compactMap { key in
            data.floors[key].flatMap { $0.isFinite ? "\(HTML.jsonString(key)):\($0)" : nil }
        }.joined(separator: ",") + "}"
        let views = snapshots.map { s in
            "\(s.step):[" + s.views.map { "[\(HTML.jsonString($0.view.rawValue)),\(HTML.jsonString($0.src)),\(HTML.jsonString($0.view.summary))]" }.joined(separator: ",") + "]"
        }.joined(separator: ",")
        return """
            const frames=[\(frameList)];
            const columns=[\(columns.map(HTML.jsonString).joined(separator: ","))];
            const definitions=[\(columns.map { HTML.jsonString(MetricGlossary.key($0)) }.joined(separator: ","))];
            const reloadSeconds=\(reloadSeconds);
            const rows=[\(rows.joined(separator: ","))];
            const floors=\(floors);
            const views={\(views)};
            \(Self.behaviour)
            """
    }

    /// The script's functions: scrubber, keys, play, the hash, the snapshot selector, the table.
    static let behaviour = """
        const scrubber=document.getElementById('scrubber'),frame=document.getElementById('frame'),label=document.getElementById('frame-label'),play=document.getElementById('play');
        let timer=null;
        function show(i){if(!scrubber)return;i=Math.max(0,Math.min(frames.length-1,i|0));scrubber.value=i;frame.src=frames[i][0];
          frame.alt='the mapping at step '+frames[i][1]+': latent plane and G(z) over the target';label.textContent='frame '+i+' · step '+frames[i][1];
          history.replaceState(null,'','#frame='+i);}
        function fromHash(){const m=/frame=(\\d+)/.exec(location.hash);if(m)show(parseInt(m[1],10));}
        if(scrubber){scrubber.addEventListener('input',()=>show(+scrubber.value));
          play.addEventListener('click',()=>{if(timer){clearInterval(timer);timer=null;play.textContent='Play';return;}
            play.textContent='Pause';timer=setInterval(()=>{const i=+scrubber.value+1;if(i>=frames.length){clearInterval(timer);timer=null;play.textContent='Play';}else show(i);},50);});
          document.addEventListener('keydown',e=>{if(e.target.tagName==='SELECT')return;if(e.key==='ArrowRight')show(+scrubber.value+1);if(e.key==='ArrowLeft')show(+scrubber.value-1);});
          window.addEventListener('hashchange',fromHash);fromHash();}
        const select=document.getElementById('snapshot-select');
        function fmt(v){if(v===null)return 'nan';if(Number.isInteger(v)&&Math.abs(v)<1e9)return String(v);return Number(v.toPrecision(6)).toString();}
        function snapshot(step){const row=rows.find(r=>r[0]===step);const body=document.querySelector('#diagnostics tbody');body.textContent='';
          if(row)columns.forEach((c,k)=>{if(k===0)return;const tr=document.createElement('tr');tr.dataset.metric=c;
            [c,fmt(row[k]),c in floors?fmt(floors[c]):''].forEach((t,j)=>{const td=document.createElement(j?'td':'th');
              if(j){td.textContent=t;}else{const a=document.createElement('a');a.href='#def-'+definitions[k];a.textContent=t;td.appendChild(a);}
              tr.appendChild(td);});body.appendChild(tr);});
          const figs=document.querySelectorAll('.views figure');(views[step]||[]).forEach((v,k)=>{if(!figs[k])return;const img=figs[k].querySelector('img');img.src=v[1];img.alt=v[2]+' at step '+step;});}
        if(select){select.addEventListener('change',()=>snapshot(+select.value));snapshot(+select.value);}
        if(reloadSeconds>0)setTimeout(()=>location.reload(),reloadSeconds*1000);
        """
}
