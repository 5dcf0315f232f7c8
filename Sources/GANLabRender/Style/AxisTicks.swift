import Foundation

/// Tick values and labels for linear and logarithmic axes and colour bars.
///
/// Linear ticks are "nice" numbers, 1, 2 or 5 × 10ᵏ apart (Heckbert, "Nice numbers for graph
/// labels", Graphics Gems 1990); log ticks are the decades, or 1-2-5 steps inside a short range.
public enum AxisTicks {
    /// The nice spacing (1, 2 or 5 × 10ᵏ) that puts about `count` ticks on `lo...hi`.
    public static func niceSpacing(from lo: Double, to hi: Double, count: Int = 5) -> Double {
        let span = hi - lo
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(count, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let normalized = raw / magnitude
        let nice: Double = normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10
        return nice * magnitude
    }

    /// Multiples of the nice spacing that lie in `lo...hi` (with a little tolerance at the ends).
    public static func linear(from lo: Double, to hi: Double, count: Int = 5) -> [Double] {
        guard lo.isFinite, hi.isFinite, hi > lo else { return lo.isFinite ? [lo] : [] }
        let step = niceSpacing(from: lo, to: hi, count: count)
        let first = (lo / step - 1e-9).rounded(.up)
        var ticks: [Double] = []
        var k = first
        while k * step <= hi + step * 1e-9, ticks.count < 100 {
            let value = k * step
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            k += 1
        }
        return ticks
    }

    /// `lo...hi` widened outward to multiples of the nice spacing for `count` ticks.
    public static func niceRange(from lo: Double, to hi: Double, count: Int = 5) -> (lo: Double, hi: Double) {
        guard lo.isFinite, hi.isFinite else { return (0, 1) }
        guard hi > lo else {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            return niceRange(from: lo - pad, to: hi + pad, count: count)
        }
        let step = niceSpacing(from: lo, to: hi, count: count)
        return ((lo / step).rounded(.down) * step, (hi / step).rounded(.up) * step)
    }

    /// Tick values for a log axis over `lo...hi` (both positive): every decade (thinned to at
    /// most `maxCount`), or 1-2-5 × 10ᵏ when the range spans less than about two decades.
    public static func logarithmic(from lo: Double, to hi: Double, maxCount: Int = 7) -> [Double] {
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite else { return lo > 0 && lo.isFinite ? [lo] : [] }
        let first = Int(log10(lo).rounded(.down)), last = Int(log10(hi).rounded(.up))
        let tolerance = 1e-9
        var decades = (first...last).map { pow(10, Double($0)) }
            .filter { $0 >= lo * (1 - tolerance) && $0 <= hi * (1 + tolerance) }
        if decades.count < 3 {
            var ticks: [Double] = []
            for exponent in first...last {
                for mantissa in [1.0, 2, 5] {
                    let value = mantissa * pow(10, Double(exponent))
                    if value >= lo * (1 - tolerance), value <= hi * (1 + tolerance) { ticks.append(value) }
                }
            }
            if ticks.count >= 2 { return ticks }
            return linear(from: lo, to: hi, count: 4).filter { $0 > 0 }
        }
        let every = (decades.count + maxCount - 1) / maxCount
        if every > 1 { decades = decades.enumerated().filter { $0.offset % every == 0 }.map(\.element) }
        return decades
    }

    // MARK: - Labels

    /// A tick label with as many decimals as the spacing needs, a true minus sign and thousands
    /// separators: (0.25, 0.05) → "0.25", (−1, 0.5) → "−1.0", (20000, 5000) → "20,000".
    public static func label(_ value: Double, spacing: Double) -> String {
        let decimals = spacing > 0 ? max(0, Int((-log10(spacing) - 1e-9).rounded(.up))) : 2
        return format(value, decimals: min(decimals, 6))
    }

    /// A label for a log-axis tick: plain decimals from 0.001 to 99,999, else m·10ᵏ.
    public static func logLabel(_ value: Double) -> String {
        guard value > 0, value.isFinite else { return format(value, decimals: 0) }
        let exponent = Int((log10(value) + 1e-9).rounded(.down))
        let mantissa = (value / pow(10, Double(exponent)) * 1000).rounded() / 1000
        if (-3...4).contains(exponent) {
            return format(value, decimals: max(0, -exponent + (mantissa == mantissa.rounded() ? 0 : 1)))
        }
        let power = "10" + superscript(exponent)
        return mantissa == 1 ? power : format(mantissa, decimals: mantissa == mantissa.rounded() ? 0 : 1) + "·" + power
    }

    /// Fixed decimals, thousands separators on the integer part, a true minus sign.
    static func format(_ value: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", abs(value))
        let parts = text.split(separator: ".", maxSplits: 1)
        let integer = String(parts.first ?? "0")
        var grouped = ""
        for (i, c) in integer.enumerated() {
            if i > 0, (integer.count - i) % 3 == 0, integer.count > 4 { grouped.append(",") }
            grouped.append(c)
        }
        let body = parts.count > 1 ? grouped + "." + parts[1] : grouped
        let isZero = body.allSatisfy { $0 == "0" || $0 == "." || $0 == "," }
        return value < 0 && !isZero ? "−" + body : body
    }

    /// An integer in Unicode superscript digits ("⁻³").
    static func superscript(_ value: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let body = String(String(value.magnitude).compactMap { c in c.wholeNumberValue.map { digits[$0] } })
        return value < 0 ? "⁻" + body : body
    }
}
