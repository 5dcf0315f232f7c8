import Foundation

/// A path through the continuous part of latent space, for the `walk` sequence.
public enum LatentPath: Equatable, Sendable {
    /// A straight segment from one point to another.
    case line(from: SIMD2<Double>, to: SIMD2<Double>)
    /// A full circle, starting at angle 0 and running counter-clockwise.
    case circle(center: SIMD2<Double>, radius: Double)
    /// A polyline through the given points (at least two).
    case points([SIMD2<Double>])

    /// The default walk: a horizontal line across 90 % of the latent square's width.
    public static func defaultPath(latentExtent: Double) -> LatentPath {
        .line(from: SIMD2(-0.9 * latentExtent, 0), to: SIMD2(0.9 * latentExtent, 0))
    }

    /// Whether the path ends where it starts (then frames sample it without repeating the start).
    public var isClosed: Bool {
        if case .circle = self { return true }
        return false
    }

    /// `count` points along the path at equal arc-length spacing: the first is the start; the
    /// last is the end (open paths) or one step before the start (closed paths).
    public func sample(count: Int) -> [SIMD2<Double>] {
        precondition(count >= 1, "a path needs at least one sample")
        let divisions = isClosed ? Double(count) : Double(max(count - 1, 1))
        return (0..<count).map { point(at: Double($0) / divisions) }
    }

    /// The point a share `s` ∈ [0, 1] of the way along the path (by arc length).
    public func point(at s: Double) -> SIMD2<Double> {
        switch self {
        case .line(let a, let b):
            return a * (1 - s) + b * s
        case .circle(let c, let r):
            let angle = 2 * Double.pi * s
            return c + r * SIMD2(cos(angle), sin(angle))
        case .points(let vertices):
            guard let first = vertices.first else { return .zero }
            let lengths = zip(vertices, vertices.dropFirst()).map { Self.length($1 - $0) }
            let total = lengths.reduce(0, +)
            guard total > 0 else { return first }
            var remaining = min(max(s, 0), 1) * total
            for (i, length) in lengths.enumerated() {
                if remaining <= length || i == lengths.count - 1 {
                    let f = length > 0 ? min(remaining / length, 1) : 0
                    return vertices[i] * (1 - f) + vertices[i + 1] * f
                }
                remaining -= length
            }
            return vertices[vertices.count - 1]
        }
    }

    /// The path in words, for the manifest and the frame overlay.
    public var summary: String {
        func p(_ v: SIMD2<Double>) -> String { "(\(Self.format(v.x)), \(Self.format(v.y)))" }
        switch self {
        case .line(let a, let b): return "line \(p(a)) → \(p(b))"
        case .circle(let c, let r): return "circle centre \(p(c)) radius \(Self.format(r))"
        case .points(let v): return "polyline " + v.map(p).joined(separator: " → ")
        }
    }

    // MARK: - Parsing user input

    /// Parses `"x,y"` (spaces allowed) into a point; `nil` if it is not two finite numbers.
    public static func parsePoint(_ text: String) -> SIMD2<Double>? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]),
              x.isFinite, y.isFinite else { return nil }
        return SIMD2(x, y)
    }

    /// Parses `"x,y;x,y;…"` into at least two points; `nil` if any point is malformed.
    public static func parsePoints(_ text: String) -> [SIMD2<Double>]? {
        let points = text.split(separator: ";").map { parsePoint(String($0)) }
        guard points.count >= 2, points.allSatisfy({ $0 != nil }) else { return nil }
        return points.compactMap { $0 }
    }

    static func length(_ v: SIMD2<Double>) -> Double { (v * v).sum().squareRoot() }

    static func format(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        return rounded < 0 ? "−" + text.dropFirst() : text
    }
}
