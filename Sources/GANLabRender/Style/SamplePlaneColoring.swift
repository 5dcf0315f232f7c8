import Foundation

/// A colour for every point of the sample plane, so a latent can be coloured by where G sends it
/// (the pullback view): hue from the angle around the plane's centre, saturation and value from
/// the distance to it.
///
/// With ρ = ‖x − centre‖ / extent (1 at the middle of the plot square's sides) and θ the angle:
/// hue = θ / 2π (red pointing right, green up-left, blue down-left), saturation = min(1, ρ/0.3)
/// (white at the centre), value = 1 − 0.75·clamp((ρ − 0.15)/0.95, 0, 1) (outer points darker,
/// ρ = 1.1 and beyond at 0.25). So two points share a colour only if they are close: angle and
/// radius can both be read off, the spiral's arms (0.3 apart in ρ) step from pale to deep, and
/// the eight Gaussians on their ring get eight hues. Every target of the lab is centred on the
/// origin.
public struct SamplePlaneColoring: Sendable, Equatable {
    /// Half-width of the plot square (the radius scale).
    public var extent: Double
    /// The centre (hue wheel and white point).
    public var center: SIMD2<Double>

    /// A colouring of the plot square [−extent, extent]² around `center`.
    public init(extent: Double, center: SIMD2<Double> = .zero) {
        precondition(extent > 0, "the sample extent must be positive")
        self.extent = extent
        self.center = center
    }

    /// The colour of sample point (x, y); non-finite points are black.
    public func color(_ x: Double, _ y: Double) -> RGBA {
        let dx = x - center.x, dy = y - center.y
        guard dx.isFinite, dy.isFinite else { return .black }
        let rho = (dx * dx + dy * dy).squareRoot() / extent
        var hue = atan2(dy, dx) / (2 * Double.pi)
        if hue < 0 { hue += 1 }
        let saturation = min(1, rho / 0.3)
        let value = 1 - 0.75 * min(max((rho - 0.15) / 0.95, 0), 1)
        return .hsv(hue: hue, saturation: saturation, value: value)
    }
}
