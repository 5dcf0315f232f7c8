import GANLabEngine
import Foundation

/// The coordinates a coordinate network reads at every pixel.
public enum CPPNInputs: String, CaseIterable, Codable, Sendable {
    /// (x, y).
    case xy
    /// (x, y, r) with r = √(x² + y²): rings come for free.
    case xyr
    /// (x, y, r, z₁ … z_k): a latent vector, the same at every pixel, that moves the image.
    case xyrz

    /// Numbers fed to the network per pixel for a latent of `latentSize` numbers.
    public func width(latentSize: Int) -> Int {
        switch self {
        case .xy: return 2
        case .xyr: return 3
        case .xyrz: return 3 + latentSize
        }
    }
}

/// Everything that defines a randomly initialised coordinate network image (a CPPN: Stanley's
/// compositional pattern-producing network, as popularised for art by Ha's "otoro" posts).
///
/// The network is the engine's `MLP` with `hidden` layers of the `activation` and a sigmoid
/// output of three numbers, read as red, green and blue. Weights come from the engine's
/// initialisers at `scale` (`normal`: N(0, scale²); `uniform`: U(±scale/√fan_in)); biases are
/// zero, as the engine always starts them. Nothing is trained: the picture is the random function.
public struct CPPNSettings: Equatable, Sendable {
    /// One line for `ganlab list`.
    public var description = ""
    /// Hidden layer widths, input side first (default: 8 layers of 16).
    public var hidden = [Int](repeating: 16, count: 8)
    /// Activation after every hidden layer.
    public var activation = ActivationKind.tanh
    /// Weight initialiser (biases are zero).
    public var initializer = InitKind.normal
    /// The initialiser's scale: σ for `normal`, s in U(±s/√fan_in) for `uniform`.
    public var scale = 1.0
    /// Multiplier on the pixel coordinates: zoom 2 shows twice the area at the same size.
    public var zoom = 1.0
    /// Which coordinates the network reads.
    public var inputs = CPPNInputs.xyrz
    /// Numbers in the latent z (for `xyrz`).
    public var latentSize = 4
    /// Standard deviation of each latent number (z is drawn once from the seed).
    public var latentScale = 0.5
    /// Seed of the weights and the latent loop.
    public var seed: UInt64 = 1

    /// The defaults: an 8 × 16 tanh net with N(0, 1) weights reading (x, y, r, z).
    public init() {}

    /// Widths of every layer: [inputs, hidden…, 3].
    public var layerSizes: [Int] { [inputs.width(latentSize: latentSize)] + hidden + [3] }

    /// Weights and biases of the network.
    public var parameterCount: Int { MLP.parameterCount(layerSizes: layerSizes) }

    /// The network in one line, e.g. "7 → 16×8 → 3, tanh, N(0, 1²) weights".
    public var summary: String {
        var body: [String] = []
        var i = 0
        while i < hidden.count {
            var j = i
            while j + 1 < hidden.count && hidden[j + 1] == hidden[i] { j += 1 }
            body.append(j > i ? "\(hidden[i])×\(j - i + 1)" : "\(hidden[i])")
            i = j + 1
        }
        let weights: String
        switch initializer {
        case .normal: weights = "N(0, \(Self.format(scale))²)"
        case .uniform: weights = "U(±\(Self.format(scale))/√fan-in)"
        case .glorotUniform: weights = "Glorot-uniform ×\(Self.format(scale))"
        case .he: weights = "He ×\(Self.format(scale))"
        }
        let shape = ([String(layerSizes[0])] + body + ["3"]).joined(separator: " → ")
        return "\(shape), \(activation.rawValue), \(weights) weights"
    }

    /// Checks every range; the error names the key (the preset loader adds the file and line).
    public func validate() throws(ConfigError) {
        func fail(_ key: String, _ problem: String) -> ConfigError {
            ConfigError(.outOfRange, location: "", keyPath: key, problem: problem)
        }
        guard (1...64).contains(hidden.count) else {
            throw fail("hidden", "a CPPN needs 1 to 64 hidden layers (got \(hidden.count)).")
        }
        guard hidden.allSatisfy({ (1...1024).contains($0) }) else {
            throw fail("hidden", "every hidden width must be between 1 and 1024 (got \(hidden)).")
        }
        guard scale.isFinite, scale >= 0, scale <= 1000 else {
            throw fail("scale", "the weight scale must be a number from 0 to 1000 (got \(scale)).")
        }
        guard zoom.isFinite, zoom > 0, zoom <= 1e6 else {
            throw fail("zoom", "the zoom must be a positive number up to 1,000,000 (got \(zoom)).")
        }
        guard (1...64).contains(latentSize) else {
            throw fail("latent", "the latent needs 1 to 64 numbers (got \(latentSize)).")
        }
        guard latentScale.isFinite, latentScale >= 0, latentScale <= 100 else {
            throw fail("latentScale", "the latent scale must be a number from 0 to 100 (got \(latentScale)).")
        }
    }

    /// A number without a trailing ".0" ("1", "0.5").
    static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(x)
    }
}

extension CPPNSettings {
    /// A file-name part that tells settings apart, e.g. "16x8-tanh-normal1-xyrz4-zoom1-seed7":
    /// widths (W×depth when all equal), activation, initialiser and scale, inputs (with the latent
    /// size for `xyrz`), zoom and seed. Two settings with the same tag draw the same picture
    /// (the latent scale appears too when it differs from its default).
    public var fileTag: String {
        func number(_ v: Double) -> String {
            String(format: "%g", v).replacingOccurrences(of: "+", with: "")
        }
        let widths = Set(hidden).count == 1 && hidden.count > 1
            ? "\(hidden[0])x\(hidden.count)" : hidden.map(String.init).joined(separator: "-")
        var parts = [widths.isEmpty ? "linear" : widths, activation.rawValue, initializer.rawValue + number(scale),
                     inputs.rawValue + (inputs == .xyrz ? "\(latentSize)" : "")]
        if inputs == .xyrz && latentScale != CPPNSettings().latentScale { parts.append("zs" + number(latentScale)) }
        parts += ["zoom" + number(zoom), "seed\(seed)"]
        return parts.joined(separator: "-")
    }
}
