import GANLabEngine

/// A run folder, step or option that does not fit what the command needs (no such run, no
/// snapshot at that step, a view that does not apply): bad input, so the CLI exits 2. The message
/// names the run and says what to do.
public struct RunError: Error, CustomStringConvertible, Sendable {
    /// The message, one sentence.
    public var description: String
    /// A run error with its message.
    public init(_ description: String) { self.description = description }
}

extension RunDirectory {
    /// The snapshot at `step`, or the newest one when `step` is nil.
    public func loadSnapshot(step: Int? = nil) throws -> Snapshot {
        let steps = try listSnapshots()
        guard let newest = steps.last else {
            throw RunError("\(path) has no snapshots (is it a ganlab run folder? it needs snapshots/step-*.snap)")
        }
        let chosen = step ?? newest
        guard steps.contains(chosen) else {
            throw RunError("\(path) has no snapshot at step \(chosen); available steps: "
                           + steps.map(String.init).joined(separator: ", "))
        }
        return try Snapshot.read(from: snapshotPath(step: chosen))
    }
}

extension Snapshot {
    /// The generator as a network ready for inference, sized for batches of `maxBatch`: an `MLP`
    /// or, for a residual run, a `ResidualStack`.
    public func makeGenerator(maxBatch: Int = 4096) -> any TrainableNetwork {
        let net = GANTrainer.makeGenerator(layerSizes: generator.layerSizes, residualBlocks: generator.residualBlocks,
                                           config: config, maxBatch: maxBatch)
        net.loadParameters(generator.parameters)
        return net
    }

    /// The discriminator as a network ready for inference (outputs logits, or critic values),
    /// with the weights it computes with: under spectral normalisation W_l/σ_l from the stored
    /// raw weights and vectors.
    public func makeDiscriminator(maxBatch: Int = 4096) -> MLP {
        let net = MLP(layerSizes: discriminator.layerSizes, hidden: GANTrainer.activation(config.discriminator),
                      output: Activation(.identity), maxBatch: maxBatch, kernels: config.kernelPlan)
        if let vectors = discriminatorSpectralVectors {
            net.loadParameters(SpectralNormalization.normalizedParameters(raw: discriminator.parameters, vectors: vectors,
                                                                          network: net))
        } else {
            net.loadParameters(discriminator.parameters)
        }
        return net
    }

    /// D as a function of points of the sample plane: logits for `count` (x, y) pairs. With PacGAN
    /// packing m, D judges m samples at once; a point is then shown as a pack of m copies of
    /// itself (`packedCopies`).
    public func discriminatorOnPoints(maxBatch: Int = 4096) -> ([Float], Int) -> [Float] {
        let net = makeDiscriminator(maxBatch: maxBatch), m = config.discriminator.packing
        return { points, count in net.predict(Self.packedCopies(points, count: count, packing: m), count: count) }
    }

    /// Each of `count` (x, y) points repeated `packing` times in a row: the input D gives a pack
    /// of copies of one point. The points themselves when `packing` is 1.
    public static func packedCopies(_ points: [Float], count: Int, packing m: Int) -> [Float] {
        guard m > 1 else { return points }
        var rows = [Float](repeating: 0, count: 2 * m * count)
        for i in 0..<count {
            for c in 0..<m {
                rows[2 * (m * i + c)] = points[2 * i]
                rows[2 * (m * i + c) + 1] = points[2 * i + 1]
            }
        }
        return rows
    }
}

/// Formats latent rows and 2-D points as CSV with a `z0,…,x,y` header (shortest round-trip
/// decimal for every Float, so the file reproduces the values exactly).
public func latentSampleCSV(latents: [Float], dimension: Int, points: [Float]) -> String {
    let count = points.count / 2
    precondition(latents.count == count * dimension, "latents and points disagree")
    var text = (0..<dimension).map { "z\($0)" }.joined(separator: ",") + ",x,y\n"
    text.reserveCapacity(count * (dimension + 2) * 12)
    for r in 0..<count {
        for j in 0..<dimension {
            text += latents[r * dimension + j].description
            text += ","
        }
        text += points[2 * r].description + "," + points[2 * r + 1].description + "\n"
    }
    return text
}
