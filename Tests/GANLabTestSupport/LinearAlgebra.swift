/// The largest singular value of a (rows × cols) row-major matrix, by `iterations` power
/// iterations in Double from the all-ones vector: the reference spectral norm of the tests.
public func largestSingularValue(_ w: [Double], rows: Int, cols: Int, iterations: Int = 500) -> Double {
    var v = [Double](repeating: 1, count: cols), sigma = 0.0
    for _ in 0..<iterations {
        var u = (0..<rows).map { i in (0..<cols).reduce(0.0) { $0 + w[i * cols + $1] * v[$1] } }
        let nu = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
        u = u.map { $0 / nu }
        v = (0..<cols).map { j in (0..<rows).reduce(0.0) { $0 + w[$1 * cols + j] * u[$1] } }
        sigma = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        v = v.map { $0 / sigma }
    }
    return sigma
}
