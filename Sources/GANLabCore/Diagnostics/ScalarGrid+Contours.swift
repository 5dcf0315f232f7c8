extension ScalarGrid {
    /// The level set {f = level} as line segments in data coordinates, flat `[x0, y0, x1, y1, …]`.
    ///
    /// Marching squares (Lorensen & Cline's marching cubes in 2-D): in each grid cell, the points
    /// where f crosses `level` on the four edges are found by linear interpolation and joined.
    /// A cell with four crossings (a saddle: opposite corners on the same side) is resolved by
    /// the cell-centre average: if the centre is on the same side as the bottom-left corner,
    /// that corner connects to the top-right one through the centre and the segments cut off
    /// the other two corners; otherwise they cut off these two. Cells with a non-finite corner
    /// are skipped.
    public func contourSegments(level: Double) -> [Double] {
        var segments: [Double] = []
        let step = 2 * extent / Double(size - 1)
        for j in 0..<(size - 1) {
            for i in 0..<(size - 1) {
                // Corners: a bottom-left, b bottom-right, c top-right, d top-left.
                let a = value(i: i, j: j), b = value(i: i + 1, j: j)
                let c = value(i: i + 1, j: j + 1), d = value(i: i, j: j + 1)
                guard a.isFinite, b.isFinite, c.isFinite, d.isFinite else { continue }
                let above = (a >= level, b >= level, c >= level, d >= level)
                if above.0 == above.1, above.1 == above.2, above.2 == above.3 { continue }
                let x0 = coordinate(i), y0 = coordinate(j)
                /// Where f = level between two corner values, as a fraction 0...1 of the edge.
                func cut(_ p: Double, _ q: Double) -> Double { min(max((level - p) / (q - p), 0), 1) }
                // Crossing points per edge (nil when the edge does not cross): bottom, right, top, left.
                let bottom = above.0 != above.1 ? (x0 + step * cut(a, b), y0) : nil
                let right = above.1 != above.2 ? (x0 + step, y0 + step * cut(b, c)) : nil
                let top = above.3 != above.2 ? (x0 + step * cut(d, c), y0 + step) : nil
                let left = above.0 != above.3 ? (x0, y0 + step * cut(a, d)) : nil
                let crossings = [bottom, right, top, left].compactMap { $0 }
                if crossings.count == 2 {
                    segments += [crossings[0].0, crossings[0].1, crossings[1].0, crossings[1].1]
                } else if crossings.count == 4, let bottom, let right, let top, let left {
                    let centreAbove = (a + b + c + d) / 4 >= level
                    if centreAbove == above.0 {
                        segments += [bottom.0, bottom.1, right.0, right.1, top.0, top.1, left.0, left.1]
                    } else {
                        segments += [left.0, left.1, bottom.0, bottom.1, right.0, right.1, top.0, top.1]
                    }
                }
            }
        }
        return segments
    }
}
