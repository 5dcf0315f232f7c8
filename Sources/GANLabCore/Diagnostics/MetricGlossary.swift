/// One-line definitions of every diagnostic (the columns of `diagnostics.csv`), each with the
/// section of docs/METRICS.md that defines it in full; the report page shows them beside its
/// table, so a run folder carries its metrics' meaning with it.
public enum MetricGlossary {
    /// A metric's short definition and the METRICS.md sections (e.g. "4.2") that define it.
    public struct Entry: Sendable, Equatable {
        public var definition: String
        public var sections: [String]
    }

    /// The entry of a `diagnostics.csv` column or of a glossary key (per-mode columns by their
    /// prefix, `hq_count_mode_3` or `hq_count_mode_j`); nil for a column the glossary does not know.
    public static func entry(_ column: String) -> Entry? {
        entries[key(column)]
    }

    /// The glossary key of a column: the column itself, or its per-mode prefix followed by "j".
    public static func key(_ column: String) -> String {
        for prefix in perModePrefixes where column.hasPrefix(prefix) {
            let mode = column.dropFirst(prefix.count)
            if mode == "j" || (!mode.isEmpty && mode.allSatisfy(\.isASCII) && Int(mode) != nil) { return prefix + "j" }
        }
        return column
    }

    private static func e(_ definition: String, _ sections: String...) -> Entry {
        Entry(definition: definition, sections: sections)
    }

    private static let perModePrefixes = ["hq_count_mode_", "latent_mass_mode_", "components_mode_"]

    private static let entries: [String: Entry] = [
        "hq_count_mode_j": e("high-quality samples (d ≤ 3) whose nearest mode is mode j", "4.1"),
        "latent_mass_mode_j": e("latent mass G sends to mode j: 1/K each for a perfect generator, 0 for a dropped mode", "4.4"),
        "components_mode_j": e("4-connected pieces of the latent plane sent to mode j; more than one means the map must tear or cross negative space between them", "4.4"),
        "step": e("training step of the snapshot", "4"),
        "samples": e("N, the generated samples scored (drawn from fixed latents, the same at every snapshot)", "4"),
        // Mixtures.
        "hq_fraction": e("share of samples within 3σ of their nearest mode (high quality, HQ)", "4.1"),
        "modes_covered": e("modes that are the nearest mode of at least one HQ sample (the literature's count)", "4.1"),
        "modes_covered_strict": e("modes with at least 20 % of N/K HQ samples", "4.1"),
        "reverse_kl": e("KL(p̂ ‖ uniform) of the HQ samples' mode shares, natural log: 0 when every mode gets the same share, log K at total collapse", "4.1"),
        "negative_space": e("share of samples in the empty space off the target: beyond t·σ of every mode for a mixture, farther than τ from every reference sample for the spiral and file targets", "4.1", "4.2", "4.7"),
        // Spiral and file targets.
        "tau": e("τ, the distance beyond which a sample is off the target: the 99.9th percentile of true samples' distance to the reference set", "4.2", "4.7"),
        "coverage_bins": e("of the spiral's 20 equal parts of θ, those that receive a sample within τ of the reference", "4.2"),
        "coverage": e("coverage_bins / 20", "4.2"),
        // Uniform-to-normal.
        "ks_x0": e("Kolmogorov–Smirnov D of the samples' x₀ against the standard normal CDF", "4.3"),
        "ks_x1": e("Kolmogorov–Smirnov D of the samples' x₁ against the standard normal CDF", "4.3"),
        "ks_threshold": e("the 5 % critical value 1.358/√N of the Kolmogorov distribution", "4.3"),
        "ks_pass": e("1 when both marginal KS statistics are at or below the threshold", "4.3"),
        "radial_ks": e("KS D of r² against χ²₂", "4.3"),
        "angular_ks": e("KS D of the samples' angle against the uniform law", "4.3"),
        "tail_r2_9_21": e("share with r² > 9.21 (1 % for the target)", "4.3"),
        "tail_x0_2_576": e("share with |x₀| > 2.576 (1 % for the target)", "4.3"),
        "tail_x1_2_576": e("share with |x₁| > 2.576 (1 % for the target)", "4.3"),
        // Precision, recall, density, coverage.
        "precision_k3": e("share of generated samples inside the union of the true samples' 3-NN balls (Kynkäänniemi et al. 2019)", "4.6"),
        "recall_k3": e("share of true samples inside the union of the generated samples' 3-NN balls (Kynkäänniemi et al. 2019)", "4.6"),
        "density_k5": e("true 5-NN balls holding each generated sample, over 5, averaged; 1 when the samples are distributed like the target (Naeem et al. 2020)", "4.6"),
        "coverage_k5": e("share of true samples whose own 5-NN ball holds a generated sample (Naeem et al. 2020)", "4.6"),
        // Map geometry.
        "grid_size": e("n, latent grid points per side on which G is measured", "4.4"),
        "tear_edges": e("grid edges whose ends land on the target while their chord's midpoint lies off it (jump edges)", "4.4"),
        "tear_mass": e("latent mass of the torn pieces: off target and stretched beyond 1.5 × the map's typical stretch", "4.4"),
        "tear_length": e("prior-weighted latent length of the tears (half the torn pieces' boundary)", "4.4"),
        "tear_width": e("mean latent width of the tears: mass / (peak prior density × length)", "4.4"),
        "folded_fraction": e("latent mass where det J has the minority sign: the plane folded over itself", "4.4"),
        "folded_flag": e("1 when folded_fraction > 1 %", "4.4"),
        "lipschitz": e("the largest σ_max of the exact Jacobian over the grid", "4.4"),
        "max_stretch": e("the largest edge stretch ‖G(z + h·e) − G(z)‖/h over the grid: a lower bound on the Lipschitz constant", "4.4"),
        "jacobian_frobenius_median": e("mass-weighted median of ‖J‖_F over the latent grid", "4.4"),
        "jacobian_frobenius_p95": e("mass-weighted 95th percentile of ‖J‖_F", "4.4"),
        "jacobian_frobenius_max": e("largest ‖J‖_F on the grid", "4.4"),
        "sigma_max_median": e("mass-weighted median of σ_max, the local Lipschitz constant", "4.4"),
        "sigma_max_p95": e("mass-weighted 95th percentile of σ_max", "4.4"),
        "sigma_max_max": e("largest σ_max on the grid", "4.4"),
        "abs_det_median": e("mass-weighted median of |det J|, the local area scale", "4.4"),
        "abs_det_p95": e("mass-weighted 95th percentile of |det J|", "4.4"),
        "abs_det_max": e("largest |det J| on the grid", "4.4"),
        "latent_mass_negative_space": e("latent mass G sends into negative space, torn or not", "4.4"),
    ]
}
