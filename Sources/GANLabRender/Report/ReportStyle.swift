/// The reports' one stylesheet, inlined in every page (no web font, no external file), and the
/// page around a report's body.
enum ReportStyle {
    /// A whole report page: `body` (HTML) under `title`, with the stylesheet and, when given, one
    /// inline script at the end.
    static func page(title: String, body: String, script: String? = nil) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title)) · ganlab report</title>
        <style>\(sheet)</style></head>
        <body>\(body)\(script.map { "\n<script>\($0)</script>" } ?? "")
        </body></html>

        """
    }

    /// The stylesheet of every report page (run, comparison, sweep).
    static let sheet = """
        body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:16px 24px;color:#222}
        h1{font-size:22px;margin:8px 0}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}
        .lede{color:#555;margin:0 0 8px}.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
        .facts dt{color:#666}.facts dd{margin:0}code{font-size:13px;background:#f4f4f4;padding:1px 4px;border-radius:3px}
        figure{margin:8px 0}img{max-width:100%;height:auto}.controls{display:flex;gap:12px;align-items:center}
        #scrubber{flex:1}.hint,.note{color:#666;font-size:13px}.views{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:12px}
        .views figcaption{font-size:13px;color:#444}table{border-collapse:collapse;font-size:13px}
        th,td{border-bottom:1px solid #eee;padding:2px 10px;text-align:left}td{font-variant-numeric:tabular-nums}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:8px}
        .chart .frame{fill:none;stroke:#bbb}.chart .tick,.chart .legend{font-size:11px;fill:#555}.chart .legend{font-weight:600}
        .chart .chart-title{font-size:13px;fill:#222}.chart .event{stroke:#999;stroke-dasharray:4 3}
        button{font:inherit;padding:2px 12px}video{width:720px;max-width:100%;height:auto}
        .banner{background:#fff6d6;border:1px solid #e8d27a;padding:6px 10px;border-radius:4px}
        .definitions{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;font-size:13px}.definitions dd{margin:0}
        .scroll{overflow-x:auto;max-width:100%}.scroll th,.scroll td{white-space:nowrap}
        th button{font-weight:600;background:none;border:0;padding:0;cursor:pointer;text-align:left}
        th button:focus-visible,.scroll:focus-visible{outline:2px solid #1f77b4}
        th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
        .numbers td,td.n,.numbers th+th,th[data-type=number]{text-align:right}td.delta{color:#555}.contact figure{margin:0}
        .contact td{vertical-align:top}.contact td.none{width:320px}.contact img{width:320px;max-width:none}
        video{max-width:100%}#runs td:first-child,#runs th:first-child{position:sticky;left:0;background:#fff}
        """
}
