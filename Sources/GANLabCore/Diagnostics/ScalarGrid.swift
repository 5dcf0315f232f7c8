/// Values of a scalar function at the nodes of a regular grid over the square [−extent, extent]².
///
/// Node (i, j) sits at (x_i, y_j) with x_i = −extent + 2·extent·i/(size−1) (likewise y_j);
/// `values` is row-major with row j running along x, rows ascending in y. Heatmaps read it by
/// bilinear interpolation and contour lines come from marching squares on the same nodes.
public struct ScalarGrid: Sendable, Equatable {
    /// Half-width of the square covered.
    public var extent: Double
    /// Nodes per side (at least 2).
    public var size: Int
    /// size × size values, row-major, row j at y_j.
    public var values: [Float]

    /// A grid from its values; `values.count` must be `size * size`.
    public init(extent: Double, size: Int, values: [Float]) {
        precondition(size >= 2 && values.count == size * size, "grid needs size ≥ 2 and size² values")
        self.extent = extent
        self.size = size
        self.values = values
    }

    /// Evaluates `function` once on all nodes: it receives flat points `[x0, y0, x1, y1, …]` and
    /// their count, and returns one value per point (a batched network call).
    public static func evaluating(extent: Double, size: Int,
                                  _ function: (_ points: [Float], _ count: Int) -> [Float]) -> ScalarGrid {
        let nodes = nodePoints(extent: extent, size: size)
        let values = function(nodes, size * size)
        precondition(values.count == size * size, "grid function returned \(values.count) values for \(size * size) nodes")
        return ScalarGrid(extent: extent, size: size, values: values)
    }

    /// All node positions, flat `[x, y, …]` in the order of `values`.
    public static func nodePoints(extent: Double, size: Int) -> [Float] {
        var points = [Float](repeating: 0, count: 2 * size * size)
        let step = 2 * extent / Double(size - 1)
        for j in 0..<size {
            for i in 0..<size {
                points[2 * (j * size + i)] = Float(-extent + step * Double(i))
                points[2 * (j * size + i) + 1] = Float(-extent + step * Double(j))
            }
        }
        return points
    }

    /// The coordinate of node index `i` along either axis.
    public func coordinate(_ i: Int) -> Double {
        -extent + 2 * extent * Double(i) / Double(size - 1)
    }

    /// The value at node (i, j).
    public func value(i: Int, j: Int) -> Double { Double(values[j * size + i]) }

    /// Bilinear interpolation at (x, y); points outside the square take the nearest edge value.
    public func interpolated(x: Double, y: Double) -> Double {
        let scale = Double(size - 1) / (2 * extent)
        let u = min(max((x + extent) * scale, 0), Double(size - 1))
        let v = min(max((y + extent) * scale, 0), Double(size - 1))
        let i = min(Int(u), size - 2), j = min(Int(v), size - 2)
        let fu = u - Double(i), fv = v - Double(j)
        let bottom = value(i: i, j: j) * (1 - fu) + value(i: i + 1, j: j) * fu
        let top = value(i: i, j: j + 1) * (1 - fu) + value(i: i + 1, j: j + 1) * fu
        return bottom * (1 - fv) + top * fv
    }

    /// The same grid with `transform` applied to every value (e.g. logits → probabilities).
    public func mapped(_ transform: (Float) -> Float) -> ScalarGrid {
        ScalarGrid(extent: extent, size: size, values: values.map(transform))
    }
}
