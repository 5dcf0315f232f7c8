import Foundation

/// How much is going on in an RGB image: contrast, steepness and wiggle.
///
/// Three measures over the channels of a size × size image with values in [0, 1], each averaged
/// over red, green and blue, and each independent of the pixel count for smooth images (so 256²
/// and 2048² renders of one network score alike):
///
/// - `standardDeviation`: pixel standard deviation. About 0 for a flat grey image.
/// - `meanGradient`: mean |∇I| per image width, from forward differences times the size. A ramp
///   from black to white across the image scores 1; n stripes score about 2n.
/// - `crossings`: level-set crossings, the mean number of times a row or column crosses the
///   channel's mean value. Blind to contrast: it counts how often the picture changes side,
///   not by how much, so it separates "many shapes" from "strong shapes".
///
/// Depth makes a random network's image more intricate than width does (the length of a curve
/// through the input grows exponentially with depth in the chaotic regime: Raghu et al. 2017,
/// "On the expressive power of deep neural networks"); these are the numbers the lab's tests and
/// `ganlab cppn` use to show it.
public struct ImageIntricacy: Equatable, Sendable, CustomStringConvertible {
    /// Pixel standard deviation, mean over channels.
    public var standardDeviation: Double
    /// Mean gradient magnitude per image width, mean over channels.
    public var meanGradient: Double
    /// Mean crossings of the channel mean per row or column, mean over channels.
    public var crossings: Double

    /// Measures a row-major RGB image (size² × 3 values).
    public init(rgb: [Float], size: Int) {
        precondition(size >= 2 && rgb.count == 3 * size * size, "expected \(size)² RGB pixels")
        var deviation = 0.0, gradient = 0.0, crossings = 0.0
        for c in 0..<3 {
            let channel = (0..<(size * size)).map { Double(rgb[3 * $0 + c]) }
            let mean = channel.reduce(0, +) / Double(channel.count)
            deviation += (channel.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(channel.count)).squareRoot()
            var sum = 0.0
            for j in 0..<(size - 1) {
                for i in 0..<(size - 1) {
                    let v = channel[j * size + i]
                    let dx = channel[j * size + i + 1] - v, dy = channel[(j + 1) * size + i] - v
                    sum += (dx * dx + dy * dy).squareRoot()
                }
            }
            gradient += sum / Double((size - 1) * (size - 1)) * Double(size)
            var count = 0
            for line in 0..<size {
                count += Self.crossings(of: (0..<size).map { channel[line * size + $0] }, level: mean)
                count += Self.crossings(of: (0..<size).map { channel[$0 * size + line] }, level: mean)
            }
            crossings += Double(count) / Double(2 * size)
        }
        standardDeviation = deviation / 3
        meanGradient = gradient / 3
        self.crossings = crossings / 3
    }

    /// Sign changes of value − level along a line (values equal to the level are skipped).
    static func crossings(of line: [Double], level: Double) -> Int {
        var count = 0, side = 0
        for v in line {
            let s = v > level ? 1 : v < level ? -1 : 0
            if s != 0 {
                if side != 0 && s != side { count += 1 }
                side = s
            }
        }
        return count
    }

    /// "σ 0.213 · |∇| 4.71 · crossings 3.2".
    public var description: String {
        String(format: "σ %.3f · |∇| %.2f · crossings %.1f", standardDeviation, meanGradient, crossings)
    }
}
