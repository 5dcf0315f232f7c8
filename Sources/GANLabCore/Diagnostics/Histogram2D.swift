import Foundation

/// A 2-D histogram of points over the square [−extent, extent]², `bins` × `bins`.
///
/// Bin (i, j) covers x in [−e + i·w, −e + (i+1)·w) and y likewise (w = 2e/bins), row-major with
/// rows ascending in y. Points outside the square are counted in `total` but in no bin, so
/// densities stay normalised to all samples.
public struct Histogram2D: Sendable, Equatable {
    /// Half-width of the square.
    public var extent: Double
    /// Bins per side.
    public var bins: Int
    /// Samples per bin, row-major.
    public var counts: [Int32]
    /// All samples, inside the square or not.
    public var total: Int

    /// Bins the flat points `[x, y, …]`; non-finite points count as outside.
    public init(points: [Float], extent: Double, bins: Int) {
        precondition(bins >= 1 && extent > 0 && points.count % 2 == 0, "histogram needs bins ≥ 1, extent > 0, pairs")
        self.extent = extent
        self.bins = bins
        total = points.count / 2
        var counts = [Int32](repeating: 0, count: bins * bins)
        let scale = Float(Double(bins) / (2 * extent)), e = Float(extent)
        for p in 0..<total {
            let u = (points[2 * p] + e) * scale, v = (points[2 * p + 1] + e) * scale
            guard u >= 0, v >= 0, u < Float(bins), v < Float(bins) else { continue }  // NaN fails too
            counts[Int(v) * bins + Int(u)] += 1
        }
        self.counts = counts
    }

    /// The bin containing (x, y), if inside the square.
    public func bin(x: Double, y: Double) -> (i: Int, j: Int)? {
        let u = (x + extent) / (2 * extent) * Double(bins), v = (y + extent) / (2 * extent) * Double(bins)
        guard u >= 0, v >= 0, u < Double(bins), v < Double(bins) else { return nil }
        return (Int(u), Int(v))
    }

    /// Samples in bin (i, j).
    public func count(i: Int, j: Int) -> Int { Int(counts[j * bins + i]) }

    /// Area of one bin.
    public var binArea: Double { pow(2 * extent / Double(bins), 2) }

    /// Estimated density count / (total · bin area), per unit area.
    public func density(i: Int, j: Int) -> Double {
        total > 0 ? Double(count(i: i, j: j)) / (Double(total) * binArea) : 0
    }

    /// The density one sample in a bin stands for.
    public var singleSampleDensity: Double { total > 0 ? 1 / (Double(total) * binArea) : 1 }

    /// Share of all samples that fall in bins where `other` has none.
    public func share(outsideSupportOf other: Histogram2D) -> Double {
        precondition(other.bins == bins, "histograms differ in bins")
        guard total > 0 else { return 0 }
        var inside = 0
        for (a, b) in zip(counts, other.counts) where b == 0 { inside += Int(a) }
        return Double(inside) / Double(total)
    }

    /// Share of all samples outside the square.
    public var shareOutside: Double {
        total > 0 ? 1 - Double(counts.reduce(0) { $0 + Int($1) }) / Double(total) : 0
    }
}
