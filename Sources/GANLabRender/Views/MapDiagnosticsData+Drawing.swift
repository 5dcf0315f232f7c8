import Foundation
import GANLabCore

/// The drawing pieces the diagnostic views (tears, modes, folds, Jacobian) and the compare sheet share.
extension MapDiagnosticsData {
    /// Throws `RenderError.invalidData` naming the first inconsistency.
    public func validate() throws {
        guard !planes.isEmpty, planes.count == LatentGrid.components(of: prior).count else {
            throw RenderError.invalidData("\(planes.count) measured planes for \(LatentGrid.components(of: prior).count) latent panels")
        }
        guard points.count % 2 == 0, target.count % 2 == 0, latents.count == points.count / 2 * prior.dimension else {
            throw RenderError.invalidData("\(latents.count) latent numbers for \(points.count / 2) points of dimension \(prior.dimension)")
        }
    }

    // MARK: - Shared drawing

    /// Paints every latent cell of `grid` inside `panel` in `color(cell index, pixel x, pixel y)`,
    /// one block of pixels per cell (the cell holding each pixel centre); white outside the box.
    static func paintCells(_ grid: LatentCellGrid, on panel: PlotPanel, canvas: Canvas,
                           color: (_ cell: Int, _ x: Double, _ y: Double) -> RGBA) {
        let n = grid.size, h = grid.spacing
        func cell(_ z: Double) -> Int? {
            let c = Int(((z - grid.lower) / h).rounded(.down))
            return (0..<n).contains(c) ? c : nil
        }
        let columns = (0..<Int(panel.rect.width)).map { cell(panel.dataPoint(pixelX: panel.rect.x + Double($0) + 0.5, pixelY: 0).x) }
        let rows = (0..<Int(panel.rect.height)).map { cell(panel.dataPoint(pixelX: 0, pixelY: panel.rect.y + Double($0) + 0.5).y) }
        canvas.paintPixels(in: panel.rect) { x, y in
            let ix = Int(x - panel.rect.x), iy = Int(y - panel.rect.y)
            guard columns.indices.contains(ix), rows.indices.contains(iy),
                  let i = columns[ix], let j = rows[iy] else { return .white }
            return color(j * n + i, x, y)
        }
    }

    /// The pixel segments of the cell boundaries where `inside` changes between neighbouring
    /// cells: the outline of a set of cells (`[x0, y0, x1, y1, …]`).
    static func outline(_ grid: LatentCellGrid, on panel: PlotPanel, inside: (Int) -> Bool) -> [Double] {
        let n = grid.size, h = grid.spacing, lo = grid.lower
        var segments: [Double] = []
        func add(_ a: (Double, Double), _ b: (Double, Double)) {
            let p = panel.pixel(x: a.0, y: a.1), q = panel.pixel(x: b.0, y: b.1)
            segments += [p.x, p.y, q.x, q.y]
        }
        for j in 0..<n {
            for i in 0..<n {
                let here = inside(j * n + i)
                let x = lo + Double(i + 1) * h, y = lo + Double(j + 1) * h
                if i + 1 < n, inside(j * n + i + 1) != here { add((x, y - h), (x, y)) }
                if j + 1 < n, inside((j + 1) * n + i) != here { add((x - h, y), (x, y)) }
                if here {
                    if i == 0 { add((lo, y - h), (lo, y)) }
                    if i == n - 1 { add((x, y - h), (x, y)) }
                    if j == 0 { add((x - h, lo), (x, lo)) }
                    if j == n - 1 { add((x - h, y), (x, y)) }
                }
            }
        }
        return segments
    }

    /// The colour of latent cell `index` of `grid` in the docs/METRICS.md §2 colouring of its continuous
    /// part, washed towards white by `dimming` (0 = full colour, 1 = white).
    static func dimmedLatentColor(_ coloring: LatentColoring, grid: LatentCellGrid, cell index: Int,
                                  dimming: Double) -> RGBA {
        let z = grid.latent(index % grid.size, index / grid.size)
        return mix(coloring.continuousColor(z.x, z.y), .white, dimming)
    }

    /// `a` moved a share `t` of the way to `b` (straight RGB).
    static func mix(_ a: RGBA, _ b: RGBA, _ t: Double) -> RGBA {
        RGBA(red: a.red + (b.red - a.red) * t, green: a.green + (b.green - a.green) * t,
             blue: a.blue + (b.blue - a.blue) * t, alpha: a.alpha + (b.alpha - a.alpha) * t)
    }

    /// The latent panels of column `index` of `page`, titled for this view: one square, or one
    /// small panel per component k.
    func latentPanels(on page: ViewLayout, column index: Int, title: String) -> [PlotPanel] {
        page.latentPanels(column: index, prior: prior, extent: latentExtent, title: title)
    }

    /// Draws component k's hue swatch beside a per-component panel's title (no-op for 2-D priors).
    func drawSwatch(_ k: Int, beside panel: PlotPanel, on canvas: Canvas) {
        if case .gaussianWithComponent(let components) = prior {
            ViewLayout.drawComponentSwatch(k, of: components, beside: panel, on: canvas)
        }
    }

    /// Draws note lines under the side column's legend, in the page's note size or smaller so
    /// the widest line fits the side column; returns the y below them.
    @discardableResult
    static func drawNote(_ lines: [String], page: ViewLayout, x: Double, y: Double, width: Double? = nil,
                         on canvas: Canvas) -> Double {
        let size = (page.fontSize * 0.85).rounded()
        let width = width ?? Double(page.width) - x - page.margin * 0.5
        let widest = lines.map { canvas.measureText($0, size: size).advance }.max() ?? 0
        let fitted = widest > width ? max(6, (size * width / widest * 10).rounded(.down) / 10) : size
        return page.drawNote(lines, x: x, y: y, size: fitted, on: canvas)
    }

    /// Per-point colours whose opacity follows the latent mass behind each point: `color` at
    /// 0.12 for the lightest cells up to 1 for the heaviest (∝ √mass), so the wide, nearly empty
    /// outer cells of a Gaussian latent do not outweigh the middle.
    static func massShaded(_ colors: [RGBA], masses: [Double]) -> [RGBA] {
        let heaviest = masses.max() ?? 1
        guard heaviest > 0 else { return colors }
        return zip(colors, masses).map { c, m in c.withAlpha(c.alpha * min(1, 0.12 + 0.88 * (m / heaviest).squareRoot())) }
    }

    /// "12.34 %" for a share in 0...1.
    static func percent(_ share: Double, digits: Int = 2) -> String {
        fixed(100 * share, digits) + " %"
    }

    /// A number with `digits` decimals.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "∞" : "−∞") }
        var text = String(format: "%.\(digits)f", value)
        if text.hasPrefix("-") { text = "−" + text.dropFirst() }
        return text
    }

    /// Three significant digits ("0.0123", "45.6", "1.23e+04").
    static func significant(_ value: Double) -> String {
        guard value.isFinite else { return fixed(value, 0) }
        return String(format: "%.3g", value).replacingOccurrences(of: "-", with: "−")
    }
}
