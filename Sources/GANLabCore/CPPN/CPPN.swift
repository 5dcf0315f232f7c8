import Foundation
import GANLabEngine

/// A randomly initialised coordinate network and the image it draws.
///
/// Pixel (i, j) of a size × size image (i across, j down) reads the coordinates
///
///     x = zoom · (2i + 1 − size) / (2·size),   y = zoom · (size − 1 − 2j) / (2·size),
///
/// i.e. (i + ½)/size − ½ at the pixel centre, times the zoom, with y up as on every plot of the
/// lab (the image shows [−zoom/2, zoom/2]²); r = √(x² + y²); and the latent z,
/// the same at every pixel. The engine's `MLP` maps them to three sigmoid outputs (red, green,
/// blue). Writing the coordinate as one integer over 2·size keeps zooms by powers of two exact:
/// the zoom-2 image at 2N px has, at its centre N × N pixels, the very inputs of the zoom-1 image
/// at N px. Pixels go through the network in batches, so any size fits in memory.
public final class CPPN {
    /// What the network is.
    public let settings: CPPNSettings
    /// The network (one per CPPN: networks keep scratch buffers and are not shared across threads).
    public let network: MLP
    /// The weights as initialised at `settings.scale`.
    public let initialParameters: [Float]
    /// The latent loop z(t) = a·cos 2πt + b·sin 2πt: a and b, `latentSize` numbers each.
    public let latentLoop: (a: [Float], b: [Float])

    /// Pixels per forward pass.
    public static let batch = 4096

    /// Builds and initialises the network of `settings` from its seed: weights from one stream,
    /// the latent loop from another, so changing the layers keeps z and vice versa.
    public init(settings: CPPNSettings) {
        self.settings = settings
        network = MLP(layerSizes: settings.layerSizes, hidden: Activation(settings.activation),
                      output: Activation(.sigmoid), maxBatch: Self.batch)
        var weights = RandomSource(seed: settings.seed)
        network.initialize(Initializer(settings.initializer, scale: settings.scale), using: &weights)
        initialParameters = network.copyParameters()
        var latents = RandomSource(seed: settings.seed ^ 0x00C0_FFEE_2A7E_4E17)
        let k = settings.latentSize, s = settings.latentScale
        let a = (0..<k).map { _ in Float(s * latents.nextGaussian()) }
        let b = (0..<k).map { _ in Float(s * latents.nextGaussian()) }
        latentLoop = (a, b)
    }

    /// The latent at loop time t ∈ [0, 1) (t and t + 1 are the same point): a smooth closed loop
    /// through z(0) = a, the latent of the still image.
    public func latent(at t: Double) -> [Float] {
        let c = Float(cos(2 * Double.pi * t)), s = Float(sin(2 * Double.pi * t))
        return zip(latentLoop.a, latentLoop.b).map { c * $0 + s * $1 }
    }

    /// Sets the weights to `factor` × the initial ones: the network initialised at scale
    /// factor·`settings.scale` (every engine initialiser is linear in its scale for fixed draws).
    public func setWeightFactor(_ factor: Double) {
        let f = Float(factor)
        network.loadParameters(initialParameters.map { $0 * f })
    }

    /// The pixel coordinate of index `i` in an image of `size` px at `zoom` (see the type).
    @inline(__always)
    public static func coordinate(_ i: Int, size: Int, zoom: Double) -> Double {
        zoom * (Double(2 * i + 1 - size) / Double(2 * size))
    }

    /// Evaluates every pixel of a size × size image, row by row from the top, calling `body` with
    /// the index of each batch's first pixel and its (count, 3) RGB values in [0, 1].
    /// `latent` defaults to z(0).
    public func evaluate(size: Int, latent: [Float]? = nil,
                         _ body: (_ firstPixel: Int, _ rgb: UnsafeBufferPointer<Float>) -> Void) {
        precondition(size > 0, "image size must be positive")
        let z = settings.inputs == .xyrz ? (latent ?? self.latent(at: 0)) : []
        precondition(z.count == (settings.inputs == .xyrz ? settings.latentSize : 0), "latent has \(z.count) numbers")
        let width = network.inputWidth, total = size * size
        let columns = (0..<size).map { Float(Self.coordinate($0, size: size, zoom: settings.zoom)) }
        let withRadius = settings.inputs != .xy
        var start = 0
        while start < total {
            let n = min(Self.batch, total - start)
            let input = network.input
            for p in 0..<n {
                let pixel = start + p
                let x = columns[pixel % size], y = columns[size - 1 - pixel / size]
                let row = p * width
                input[row] = x
                input[row + 1] = y
                if withRadius { input[row + 2] = (x * x + y * y).squareRoot() }
                for (k, value) in z.enumerated() { input[row + 3 + k] = value }
            }
            network.forward(batch: n)
            body(start, UnsafeBufferPointer(rebasing: network.outputBuffer[0..<(3 * n)]))
            start += n
        }
    }

    /// The whole image as row-major RGB values in [0, 1] (size² × 3 numbers), for measuring.
    public func image(size: Int, latent: [Float]? = nil) -> [Float] {
        var rgb = [Float](repeating: 0, count: 3 * size * size)
        rgb.withUnsafeMutableBufferPointer { out in
            evaluate(size: size, latent: latent) { first, values in
                for (i, v) in values.enumerated() { out[3 * first + i] = v }
            }
        }
        return rgb
    }
}
