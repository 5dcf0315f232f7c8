/// A continuous colour scale: evenly spaced colour stops, linearly interpolated, for t in 0...1.
///
/// The stops are published, perceptually ordered scales (matplotlib's viridis and magma, which
/// are uniform in CAM02-UCS lightness; ColorBrewer's PRGn, a diverging scale with matched
/// lightness on both arms), sampled at ten or so points. Between such close stops, linear
/// interpolation in sRGB stays within a few ΔE of the original curves.
public struct Colormap: Sendable, Equatable {
    /// A short name for captions and tests.
    public var name: String
    /// Colours at t = 0, 1/(n−1), …, 1.
    public var stops: [RGBA]

    /// A colour map from at least two stops, evenly spaced over 0...1.
    public init(name: String, stops: [RGBA]) {
        precondition(stops.count >= 2, "a colour map needs at least two stops")
        self.name = name
        self.stops = stops
    }

    /// The colour at `t` (clamped to 0...1; NaN gives the low end).
    public func color(at t: Double) -> RGBA {
        let t = t.isNaN ? 0 : min(max(t, 0), 1)
        let position = t * Double(stops.count - 1)
        let i = min(Int(position), stops.count - 2)
        let f = position - Double(i)
        let a = stops[i], b = stops[i + 1]
        return RGBA(red: a.red + (b.red - a.red) * f, green: a.green + (b.green - a.green) * f,
                    blue: a.blue + (b.blue - a.blue) * f, alpha: a.alpha + (b.alpha - a.alpha) * f)
    }

    /// The colour at t = 0.
    public var low: RGBA { stops[0] }
    /// The colour at t = 1.
    public var high: RGBA { stops[stops.count - 1] }

    // MARK: - The lab's scales

    /// Diverging purple → near-white → green (ColorBrewer PRGn, 9 classes), for a probability
    /// with a meaningful middle: D(x) = ½ is white, "fake" purple, "real" green (as in GAN Lab).
    public static let probability = Colormap(name: "PRGn", stops: [
        hex(0x762A83), hex(0x9970AB), hex(0xC2A5CF), hex(0xE7D4E8), hex(0xF7F7F7),
        hex(0xD9F0D3), hex(0xA6DBA0), hex(0x5AAE61), hex(0x1B7837),
    ])

    /// Sequential pale yellow → orange → purple → black (magma reversed, without its palest tenth
    /// so that one sample still shows against a white background), for log densities.
    public static let density = Colormap(name: "magma (reversed)", stops: [
        hex(0xFECF92), hex(0xFE9F6D), hex(0xF7705C), hex(0xDE4968), hex(0xB73779),
        hex(0x8C2981), hex(0x641A80), hex(0x3B0F70), hex(0x140E36), hex(0x000004),
    ])

    /// Sequential dark blue → green → yellow (viridis), for log area stretch.
    public static let stretch = Colormap(name: "viridis", stops: [
        hex(0x440154), hex(0x482475), hex(0x414487), hex(0x355F8D), hex(0x2A788E), hex(0x21918C),
        hex(0x22A884), hex(0x44BF70), hex(0x7AD151), hex(0xBDDF26), hex(0xFDE725),
    ])

    /// An opaque colour from a 24-bit 0xRRGGBB literal.
    public static func hex(_ value: UInt32) -> RGBA {
        RGBA(red: Double((value >> 16) & 0xFF) / 255, green: Double((value >> 8) & 0xFF) / 255,
             blue: Double(value & 0xFF) / 255)
    }
}
