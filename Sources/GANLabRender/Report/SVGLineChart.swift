import Foundation

/// A small line chart as inline SVG, for the report page: one or more series against the step,
/// each point carrying its value in a `<title>` (the browser shows it on hover), with optional
/// vertical event markers.
struct SVGLineChart {
    struct Series {
        var name: String
        var color: String
        var points: [(x: Double, y: Double)]
    }

    var title: String
    var series: [Series]
    /// Steps to mark with a dashed vertical line, and what happened there.
    var events: [(step: Double, label: String)] = []
    var width = 560.0, height = 200.0

    /// The chart; nil when no series has a finite point.
    var svg: String? {
        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        guard let x0 = finite.map(\.x).min(), let x1 = finite.map(\.x).max(),
              var y0 = finite.map(\.y).min(), var y1 = finite.map(\.y).max() else { return nil }
        if y1 - y0 < 1e-12 { y0 -= 0.5; y1 += 0.5 }
        let pad = (y1 - y0) * 0.05
        y0 -= pad
        y1 += pad
        let left = 56.0, right = 12.0, top = 24.0, bottom = 28.0
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5) * plotW }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * plotH }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var out = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(Int(width))\" "
            + "height=\"\(Int(height))\" aria-label=\"\(HTML.escape(title))\">"
        out += "<title>\(HTML.escape(title))</title>"
        out += "<text x=\"\(f(left))\" y=\"16\" class=\"chart-title\">\(HTML.escape(title))</text>"
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" class=\"frame\"/>"
        for v in [y0 + pad, (y0 + y1) / 2, y1 - pad] {
            out += "<text x=\"\(f(left - 4))\" y=\"\(f(py(v) + 4))\" class=\"tick\" text-anchor=\"end\">\(HTML.number(v))</text>"
        }
        out += "<text x=\"\(f(left))\" y=\"\(f(height - 8))\" class=\"tick\">\(HTML.number(x0))</text>"
        out += "<text x=\"\(f(left + plotW))\" y=\"\(f(height - 8))\" class=\"tick\" text-anchor=\"end\">step \(HTML.number(x1))</text>"
        for event in events where event.step >= x0 && event.step <= x1 {
            out += "<line x1=\"\(f(px(event.step)))\" x2=\"\(f(px(event.step)))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\" "
                + "class=\"event\"><title>step \(Int(event.step)): \(HTML.escape(event.label))</title></line>"
        }
        for (index, s) in series.enumerated() {
            let points = s.points.filter { $0.x.isFinite && $0.y.isFinite }
            guard !points.isEmpty else { continue }
            let path = points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.5\"/>"
            // Hover targets: at most 200 points a series, each with its value; drawn as dots when the
            // series is sparse (the snapshots' diagnostics), nearly transparent over a dense log.
            let stride = max(1, points.count / 200)
            let opacity = points.count <= 60 ? "0.9" : "0.01"
            for p in Swift.stride(from: 0, to: points.count, by: stride).map({ points[$0] }) {
                out += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3\" fill=\"\(s.color)\" fill-opacity=\"\(opacity)\">"
                    + "<title>\(HTML.escape(s.name)) at step \(Int(p.x)): \(HTML.number(p.y))</title></circle>"
            }
            out += "<text x=\"\(f(left + plotW - 4))\" y=\"\(f(top + 14 + 14 * Double(index)))\" text-anchor=\"end\" "
                + "fill=\"\(s.color)\" class=\"legend\">\(HTML.escape(s.name))</text>"
        }
        return out + "</svg>"
    }
}

/// Escaping and number formatting for the generated HTML.
enum HTML {
    /// `text` safe inside an element or a double-quoted attribute.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A number for people: integers plainly, others with 4 significant digits.
    static func number(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "∞" : "−∞" }
        if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
        return String(format: "%.4g", v)
    }

    /// A JSON string literal (for data embedded in the page's script).
    static func jsonString(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let data = (try? encoder.encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
    }
}
