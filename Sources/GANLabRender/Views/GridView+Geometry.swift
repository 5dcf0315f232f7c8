import Foundation
import GANLabCore

extension GridView {
    /// Stretch, folds and creases of all lattices, computed once per render.
    struct Geometry {
        /// Signed stretch of every fine cell, per lattice.
        var fine: [[Double]]
        /// Whether each fine cell is folded, per lattice.
        var folds: [[Bool]]
        /// |stretch| of every grid cell, per lattice.
        var cells: [[Double]]
        /// Crease segments in fractional lattice indices, per lattice.
        var creases: [[Double]]
        /// Latent mass of each fine cell (the same for every lattice).
        var mass: [Double]
        /// The colour bar's range: the mass-weighted 1st to 99th percentile of |stretch|, widened to half decades.
        var range: ClosedRange<Double>
        /// Latent mass of folded cells, over all lattices (each lattice holds 1/K of the mass).
        var foldedMass: Double
        /// Mass-weighted median |stretch|.
        var medianStretch: Double
    }

    /// Measures every lattice of `data`.
    static func geometry(of data: WarpedGridData) -> Geometry {
        let mass = data.fineMass()
        let components = data.images.indices
        let fine = components.map { data.fineStretch($0) }
        let folds = fine.map { WarpedGridData.folds(stretch: $0, mass: mass) }
        let cells = components.map { data.cellStretch($0) }
        let share = 1 / Double(max(fine.count, 1))
        var magnitudes: [(value: Double, weight: Double)] = []
        var foldedMass = 0.0
        for k in components {
            for (c, s) in fine[k].enumerated() {
                if folds[k][c] { foldedMass += mass[c] * share }
                if s.isFinite, s != 0 { magnitudes.append((abs(s), mass[c] * share)) }
            }
        }
        magnitudes.sort { $0.value < $1.value }
        let median = Quantile.weighted(0.5, sorted: magnitudes) ?? 1
        let lo = log10(max(Quantile.weighted(0.01, sorted: magnitudes) ?? 1, 1e-12))
        let hi = log10(max(Quantile.weighted(0.99, sorted: magnitudes) ?? 1, 1e-12))
        var low = (lo * 2).rounded(.down) / 2, high = (hi * 2).rounded(.up) / 2
        if high - low < 1 {
            let middle = (low + high) / 2
            (low, high) = (middle - 0.5, middle + 0.5)
        }
        let creases = components.map { data.creases(stretch: fine[$0]) }
        return Geometry(fine: fine, folds: folds, cells: cells, creases: creases, mass: mass, range: pow(10, low)...pow(10, high),
                        foldedMass: foldedMass, medianStretch: median)
    }
}
