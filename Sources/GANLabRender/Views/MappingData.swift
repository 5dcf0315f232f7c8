import GANLabCore

/// Plain data for a latent → sample mapping figure, so rendering never depends on training code.
public struct MappingData: Sendable {
    /// The prior the probe latents were drawn from (decides the colouring).
    public var prior: LatentPrior
    /// Plot extent of the latent plane: 1 for the uniform box, 3 for Gaussian latents.
    public var latentExtent: Double
    /// Plot extent of the sample plane (spiral 1, the others 3, …).
    public var sampleExtent: Double
    /// probeCount × prior.dimension latents, row-major.
    public var latents: [Float]
    /// probeCount × 2: G(z) for each probe, row-major.
    public var points: [Float]
    /// targetCount × 2: true samples, drawn in light grey behind the probes.
    public var target: [Float]
    /// The figure's title line, e.g. "spiral · run 20261123-061500 · step 4000".
    public var title: String

    /// Creates mapping data; `validate()` checks the shapes.
    public init(prior: LatentPrior, latentExtent: Double, sampleExtent: Double, latents: [Float],
                points: [Float], target: [Float], title: String) {
        self.prior = prior
        self.latentExtent = latentExtent
        self.sampleExtent = sampleExtent
        self.latents = latents
        self.points = points
        self.target = target
        self.title = title
    }

    /// Number of probe latents.
    public var probeCount: Int { points.count / 2 }

    /// Number of target samples.
    public var targetCount: Int { target.count / 2 }

    /// Throws `RenderError.invalidData` naming the first inconsistency found.
    public func validate() throws {
        guard latentExtent > 0, latentExtent.isFinite, sampleExtent > 0, sampleExtent.isFinite else {
            throw RenderError.invalidData("extents must be positive and finite (latent \(latentExtent), sample \(sampleExtent))")
        }
        guard points.count % 2 == 0, target.count % 2 == 0 else {
            throw RenderError.invalidData("points (\(points.count)) and target (\(target.count)) need an even number of coordinates")
        }
        guard latents.count == probeCount * prior.dimension else {
            throw RenderError.invalidData("\(latents.count) latent numbers for \(probeCount) probes of dimension \(prior.dimension)")
        }
    }
}
