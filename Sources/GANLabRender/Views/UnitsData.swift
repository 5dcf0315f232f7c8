import GANLabCore

/// Plain data for the hidden-unit view: the activation of each unit of one layer over the
/// network's input plane, for one page of at most `perPage` units.
public struct UnitsData: Sendable {
    /// Which network: G (input plane: the latent plane) or D (input plane: the sample plane).
    public var network: NetworkChoice
    /// The layer shown, 1-based (1 = the first hidden layer; the last is the output layer).
    public var layer: Int
    /// Widths of the network's dense layers, input side first (the last is the output).
    public var layerWidths: [Int]
    /// The page shown, 1-based.
    public var page: Int
    /// Units per page.
    public var perPage: Int
    /// Index of the page's first unit (0-based).
    public var firstUnit: Int
    /// Each unit's activation at the nodes of a grid over the input square, one per unit on the page.
    public var grids: [ScalarGrid]
    /// Half-width of the input square.
    public var extent: Double
    /// Names of the plane's axes ("z₀", "z₁" or "x₀", "x₁").
    public var axisNames: (horizontal: String, vertical: String)
    /// The layer's activation in words, e.g. "leaky-relu (α 0.1)".
    public var activationName: String
    /// The largest |activation| over the plane of every unit of the layer (all pages), by unit.
    public var unitMaxima: [Double]
    /// One colour scale for the whole layer (true) or one per unit (false).
    public var sharedScale: Bool
    /// Extra caption lines (e.g. which component's plane a mixture G is shown on).
    public var notes: [String] = []
    /// The title line.
    public var title: String
    /// The training step shown.
    public var step: Int = 0

    /// Units per page unless told otherwise: an 8 × 8 grid.
    public static let defaultPerPage = 64

    /// Data from evaluated grids.
    public init(network: NetworkChoice, layer: Int, layerWidths: [Int], page: Int, perPage: Int, firstUnit: Int,
                grids: [ScalarGrid], extent: Double, axisNames: (horizontal: String, vertical: String),
                activationName: String, unitMaxima: [Double], sharedScale: Bool, title: String) {
        self.network = network
        self.layer = layer
        self.layerWidths = layerWidths
        self.page = page
        self.perPage = perPage
        self.firstUnit = firstUnit
        self.grids = grids
        self.extent = extent
        self.axisNames = axisNames
        self.activationName = activationName
        self.unitMaxima = unitMaxima
        self.sharedScale = sharedScale
        self.title = title
    }

    /// Units in the layer.
    public var unitCount: Int { layerWidths[layer - 1] }
    /// Pages the layer needs.
    public var pageCount: Int { Self.pageCount(units: unitCount, perPage: perPage) }
    /// The unit indices on this page.
    public var unitsOnPage: Range<Int> { firstUnit..<(firstUnit + grids.count) }

    /// ⌈units / perPage⌉.
    public static func pageCount(units: Int, perPage: Int) -> Int { (units + perPage - 1) / max(perPage, 1) }

    /// The half-range of unit `unit`'s colour scale: its own max |a|, or the layer's.
    public func colorRange(unit: Int) -> Double {
        let m = sharedScale ? (unitMaxima.max() ?? 0) : unitMaxima[unit]
        return m > 0 && m.isFinite ? m : 1
    }

    /// Evaluates `activations` (input rows → (count, width) activations of the layer) once on a
    /// `resolution`² node grid over [−extent, extent]² and keeps page `page` (1-based) of the
    /// layer's units. `inputRows` turns plane points `[x, y, …]` into the network's input rows
    /// (e.g. adds a mixture's one-hot component).
    public static func evaluating(
        network: NetworkChoice, layer: Int, layerWidths: [Int], page: Int, perPage: Int = defaultPerPage,
        extent: Double, resolution: Int, axisNames: (horizontal: String, vertical: String), activationName: String,
        sharedScale: Bool, inputRows: ([Float], Int) -> [Float], activations: ([Float], Int) -> [Float], title: String
    ) throws -> UnitsData {
        guard (1...layerWidths.count).contains(layer) else {
            throw RunError("\(network.rawValue) has layers 1…\(layerWidths.count) (widths "
                           + layerWidths.map(String.init).joined(separator: ", ") + ", the last is the output); --layer \(layer) is not one of them")
        }
        let width = layerWidths[layer - 1], pages = pageCount(units: width, perPage: perPage)
        guard (1...pages).contains(page) else {
            throw RunError("layer \(layer) of \(network.rawValue) has \(width) units, \(perPage) per page: --page must be 1…\(pages)")
        }
        let size = max(2, resolution)
        let nodes = ScalarGrid.nodePoints(extent: extent, size: size)
        let count = size * size
        let values = activations(inputRows(nodes, count), count)
        precondition(values.count == count * width, "activations returned \(values.count) values for \(count)×\(width)")
        var maxima = [Double](repeating: 0, count: width)
        for r in 0..<count {
            for u in 0..<width { maxima[u] = max(maxima[u], Double(abs(values[r * width + u]))) }
        }
        let first = (page - 1) * perPage
        let grids = (first..<min(first + perPage, width)).map { u in
            ScalarGrid(extent: extent, size: size, values: (0..<count).map { values[$0 * width + u] })
        }
        return UnitsData(network: network, layer: layer, layerWidths: layerWidths, page: page, perPage: perPage,
                         firstUnit: first, grids: grids, extent: extent, axisNames: axisNames,
                         activationName: activationName, unitMaxima: maxima, sharedScale: sharedScale, title: title)
    }
}
