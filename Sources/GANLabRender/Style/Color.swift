import Foundation
import GANLabCore

/// A colour with straight (not premultiplied) red, green, blue and alpha in 0...1.
public struct RGBA: Equatable, Hashable, Sendable {
    /// Red in 0...1.
    public var red: Double
    /// Green in 0...1.
    public var green: Double
    /// Blue in 0...1.
    public var blue: Double
    /// Opacity in 0...1.
    public var alpha: Double

    /// Creates a colour from straight components in 0...1.
    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// A neutral grey of the given lightness (0 black, 1 white).
    public static func grey(_ level: Double, alpha: Double = 1) -> RGBA {
        RGBA(red: level, green: level, blue: level, alpha: alpha)
    }

    /// Opaque white.
    public static let white = RGBA(red: 1, green: 1, blue: 1)
    /// Opaque black.
    public static let black = RGBA(red: 0, green: 0, blue: 0)

    /// The same colour with a different opacity.
    public func withAlpha(_ alpha: Double) -> RGBA {
        RGBA(red: red, green: green, blue: blue, alpha: alpha)
    }

    /// Converts hue, saturation and value (all in 0...1; hue wraps) to RGB.
    ///
    /// The standard hexcone model: the hue circle is cut into six sectors of 60°; inside a sector
    /// one channel is at `v`, one at `v(1−s)` and one ramps between them.
    public static func hsv(hue: Double, saturation: Double, value: Double, alpha: Double = 1) -> RGBA {
        let hue = hue.isFinite ? hue : 0  // a non-finite hue would trap in Int(_:) below
        let h = (hue - hue.rounded(.down)) * 6
        let sector = Int(h.rounded(.down)) % 6
        let f = h - h.rounded(.down)
        let s = saturation.isNaN ? 0 : min(max(saturation, 0), 1)
        let v = value.isNaN ? 0 : min(max(value, 0), 1)
        let p = v * (1 - s)
        let q = v * (1 - s * f)
        let t = v * (1 - s * (1 - f))
        switch sector {
        case 0: return RGBA(red: v, green: t, blue: p, alpha: alpha)
        case 1: return RGBA(red: q, green: v, blue: p, alpha: alpha)
        case 2: return RGBA(red: p, green: v, blue: t, alpha: alpha)
        case 3: return RGBA(red: p, green: q, blue: v, alpha: alpha)
        case 4: return RGBA(red: t, green: p, blue: v, alpha: alpha)
        default: return RGBA(red: v, green: p, blue: q, alpha: alpha)
        }
    }
}

/// An 8-bit straight-alpha pixel, as read back from a canvas or a PNG file.
public struct RGBA8: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Red 0...255.
    public var red: UInt8
    /// Green 0...255.
    public var green: UInt8
    /// Blue 0...255.
    public var blue: UInt8
    /// Alpha 0...255.
    public var alpha: UInt8

    /// Creates a pixel from 8-bit components.
    public init(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// The pixel as a colour with components in 0...1.
    public var rgba: RGBA {
        RGBA(red: Double(red) / 255, green: Double(green) / 255, blue: Double(blue) / 255,
             alpha: Double(alpha) / 255)
    }

    /// Largest per-channel difference (R, G, B, A) to a colour, in 0...255 units.
    public func distance(to color: RGBA) -> Double {
        let c = rgba
        return 255 * max(abs(c.red - color.red), abs(c.green - color.green),
                         abs(c.blue - color.blue), abs(c.alpha - color.alpha))
    }

    /// `"rgba(r, g, b, a)"`, handy in test failure messages.
    public var description: String { "rgba(\(red), \(green), \(blue), \(alpha))" }
}

/// The lab's latent colouring (docs/METRICS.md §2): the same latent always gets the same colour.
///
/// - Uniform box: (u, v) = ((z₀+1)/2, (z₁+1)/2), colour = HSV(0.9·u, 1, 0.2 + 0.8·v): hue runs
///   red → magenta along z₀ and dark → bright along z₁. The hue stops at 0.9 so the two ends of
///   z₀ never share a colour.
/// - Gaussian: each coordinate first goes through the standard normal CDF Φ, then as above.
/// - Gaussian with component k of K: hue = k/K at full saturation and value (the article);
///   the continuous part (n₀, n₁) is shown with `continuousColor` in per-component panels.
public struct LatentColoring: Sendable {
    /// The prior whose latents are coloured.
    public let prior: LatentPrior

    /// A colouring for latents drawn from `prior`.
    public init(prior: LatentPrior) {
        self.prior = prior
    }

    /// Standard normal CDF Φ(x) = ½·erfc(−x/√2) (erfc keeps the lower tail accurate).
    public static func standardNormalCDF(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// The colour (docs/METRICS.md §2) of a point (u, v) of the unit square: HSV(0.9·u, 1, 0.2 + 0.8·v).
    public static func unitSquareColor(u: Double, v: Double) -> RGBA {
        let u = min(max(u, 0), 1)
        let v = min(max(v, 0), 1)
        return .hsv(hue: 0.9 * u, saturation: 1, value: 0.2 + 0.8 * v)
    }

    /// The colour of a component k of K: hue k/K, full saturation and value (the article).
    public static func componentColor(_ k: Int, of components: Int) -> RGBA {
        .hsv(hue: Double(k) / Double(max(components, 1)), saturation: 1, value: 1)
    }

    /// Colour of the continuous 2-D part (z₀, z₁) of a latent: the uniform-box rule, after Φ for
    /// Gaussian priors. Used for the latent plane, colour keys and per-component panels.
    public func continuousColor(_ z0: Double, _ z1: Double) -> RGBA {
        let (u, v) = unitCoordinates(z0, z1)
        return Self.unitSquareColor(u: u, v: v)
    }

    /// Maps the continuous part of a latent to the unit square, as docs/METRICS.md §2 prescribes.
    public func unitCoordinates(_ z0: Double, _ z1: Double) -> (u: Double, v: Double) {
        switch prior {
        case .uniformBox:
            return ((z0 + 1) / 2, (z1 + 1) / 2)
        case .gaussian, .gaussianWithComponent:
            return (Self.standardNormalCDF(z0), Self.standardNormalCDF(z1))
        }
    }

    /// The component k of a latent row: argmax of its one-hot part z[2...] (0 for other priors).
    public func component(of row: ArraySlice<Float>) -> Int {
        guard case .gaussianWithComponent = prior, row.count > 2 else { return 0 }
        var best = 0
        var bestValue = -Float.infinity
        for (k, value) in row.dropFirst(2).enumerated() where value > bestValue {
            best = k
            bestValue = value
        }
        return best
    }

    /// The main colour of one latent row (length `prior.dimension`).
    public func color(of row: ArraySlice<Float>) -> RGBA {
        precondition(row.count == prior.dimension, "latent row has \(row.count) numbers, prior needs \(prior.dimension)")
        if case .gaussianWithComponent(let components) = prior {
            return Self.componentColor(component(of: row), of: components)
        }
        return continuousColor(Double(row[row.startIndex]), Double(row[row.startIndex + 1]))
    }

    /// Main colours of `count = latents.count / prior.dimension` latents stored row-major.
    public func colors(latents: [Float]) -> [RGBA] {
        let d = prior.dimension
        precondition(latents.count % d == 0, "latents length \(latents.count) is not a multiple of \(d)")
        return (0..<(latents.count / d)).map { color(of: latents[($0 * d)..<($0 * d + d)]) }
    }

    /// Continuous colours (z₀, z₁ part only) of latents stored row-major.
    public func continuousColors(latents: [Float]) -> [RGBA] {
        let d = prior.dimension
        precondition(latents.count % d == 0, "latents length \(latents.count) is not a multiple of \(d)")
        return (0..<(latents.count / d)).map {
            continuousColor(Double(latents[$0 * d]), Double(latents[$0 * d + 1]))
        }
    }
}
