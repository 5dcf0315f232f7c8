import GANLabEngine

// MARK: - Sampling latents and targets

extension ToyProblem {
    /// Draws `count` latents from the prior into `latents` (`LatentPrior.sampleLatents`).
    public func sampleLatents(
        count: Int, into latents: UnsafeMutableBufferPointer<Float>, using rng: inout RandomSource
    ) {
        prior.sampleLatents(count: count, into: latents, using: &rng)
    }

    /// Draws `count` target samples into `samples`, row-major (`count` × 2).
    ///
    /// Each sample is the oracle f applied to a freshly drawn latent (kept in Double, not rounded
    /// to Float first), so the targets follow the formula in docs/METRICS.md by construction. It consumes the
    /// generator exactly as `sampleLatents` does. A file target draws from its atoms instead
    /// (`FileTarget`). Does not allocate.
    public func sampleTargets(
        count: Int, into samples: UnsafeMutableBufferPointer<Float>, using rng: inout RandomSource
    ) {
        precondition(count >= 0 && samples.count >= count * 2, "sample buffer too small")
        if let file {
            for row in 0..<count {
                let x = file.draw(using: &rng).point
                samples[2 * row] = Float(x.x)
                samples[2 * row + 1] = Float(x.y)
            }
            return
        }
        for row in 0..<count {
            let z = prior.draw(using: &rng)
            let x = oracle(z.z0, z.z1, component: z.component)
            samples[2 * row] = Float(x.x)
            samples[2 * row + 1] = Float(x.y)
        }
    }

    /// Whether target sampling splits into a serial draw (`drawTargetLatents`) and a per-row map
    /// (`mapTargetLatents`) that threads can share: every built-in problem; not a file target,
    /// whose atoms are drawn and placed with the generator row by row.
    public var splitsTargetSampling: Bool { file == nil }

    /// The random half of `sampleTargets` for a built-in problem: the latents of `count` targets,
    /// (z₀, z₁, component) per row as Doubles, drawn exactly as `sampleTargets` draws them.
    public func drawTargetLatents(count: Int, into latents: UnsafeMutablePointer<Double>,
                                  using rng: inout RandomSource) {
        precondition(splitsTargetSampling, "a file target's sampling does not split")
        for row in 0..<count {
            let z = prior.draw(using: &rng)
            latents[3 * row] = z.z0
            latents[3 * row + 1] = z.z1
            latents[3 * row + 2] = Double(z.component)
        }
    }

    /// The rest of `sampleTargets`: rows `rows` of the targets (row-major, 2 per row) from the
    /// latents `drawTargetLatents` wrote, the same values `sampleTargets` gives. Rows are
    /// independent, so parts of a team may map their own rows at once.
    public func mapTargetLatents(rows: Range<Int>, from latents: UnsafePointer<Double>,
                                 into samples: UnsafeMutablePointer<Float>) {
        for row in rows {
            let x = oracle(latents[3 * row], latents[3 * row + 1], component: Int(latents[3 * row + 2]))
            samples[2 * row] = Float(x.x)
            samples[2 * row + 1] = Float(x.y)
        }
    }

    /// `count` latents from the prior as a new row-major array (`count` × `latentDimension`).
    public func sampleLatents(count: Int, using rng: inout RandomSource) -> [Float] {
        prior.sampleLatents(count: count, using: &rng)
    }

    /// `count` target samples as a new row-major array (`count` × 2).
    public func sampleTargets(count: Int, using rng: inout RandomSource) -> [Float] {
        [Float](unsafeUninitializedCapacity: count * 2) { buffer, initialized in
            sampleTargets(count: count, into: buffer, using: &rng)
            initialized = count * 2
        }
    }
}

// MARK: - Latents

extension LatentPrior {
    /// Draws `count` latents into `latents`, row-major (`count` × `dimension`).
    ///
    /// Per row, in this order: uniform box z_i = 2u − 1 with u = `nextUnitDouble()`; Gaussian
    /// z_i = `nextGaussian()`; with components, (n₀, n₁) then k = `nextInt(below: components)`,
    /// written as a one-hot after (n₀, n₁). Does not allocate: the trainer calls it every step.
    public func sampleLatents(
        count: Int, into latents: UnsafeMutableBufferPointer<Float>, using rng: inout RandomSource
    ) {
        let d = dimension
        precondition(count >= 0 && latents.count >= count * d, "latent buffer too small")
        for row in 0..<count {
            let z = draw(using: &rng)
            let offset = row * d
            latents[offset] = Float(z.z0)
            latents[offset + 1] = Float(z.z1)
            if d > 2 {
                for j in 2..<d { latents[offset + j] = 0 }
                latents[offset + 2 + z.component] = 1
            }
        }
    }

    /// `count` latents as a new row-major array (`count` × `dimension`).
    public func sampleLatents(count: Int, using rng: inout RandomSource) -> [Float] {
        [Float](unsafeUninitializedCapacity: count * dimension) { buffer, initialized in
            sampleLatents(count: count, into: buffer, using: &rng)
            initialized = count * dimension
        }
    }

    /// One latent: the two continuous numbers and the mixture component (0 if the prior has none).
    @inline(__always)
    func draw(using rng: inout RandomSource) -> (z0: Double, z1: Double, component: Int) {
        switch self {
        case .uniformBox:
            let z0 = 2 * rng.nextUnitDouble() - 1
            let z1 = 2 * rng.nextUnitDouble() - 1
            return (z0, z1, 0)
        case .gaussian:
            let z0 = rng.nextGaussian()
            let z1 = rng.nextGaussian()
            return (z0, z1, 0)
        case .gaussianWithComponent(let components):
            let n0 = rng.nextGaussian()
            let n1 = rng.nextGaussian()
            let k = rng.nextInt(below: components)
            return (n0, n1, k)
        }
    }
}
