/// One named number of a diagnostics report.
public struct Metric: Sendable, Equatable, Codable {
    /// A stable snake_case name, usable as a CSV column or JSON key.
    public var name: String
    /// The value (flags are 1 or 0).
    public var value: Double

    /// A metric.
    public init(_ name: String, _ value: Double) {
        self.name = name
        self.value = value
    }
}

/// Everything the diagnostics measured on one generator (or one point set): the sample metrics
/// that apply to the problem and, when a map was measured, its geometry (docs/METRICS.md §4).
///
/// The structured fields are for code; `metrics` flattens them into an ordered list of
/// (name, value) for tables, CSV rows (`csvHeader`, `csvRow`) and JSON. The names and their order
/// depend only on the problem and on whether geometry was measured, so every snapshot of a run
/// writes the same columns.
public struct DiagnosticsReport: Sendable, Equatable, Codable {
    /// The problem the samples were scored against.
    public var problem: ProblemKind
    /// The sample metrics.
    public var samples: SampleMetrics
    /// The map geometry (nil when only samples were scored).
    public var geometry: GeometrySummary?

    /// A report from its parts.
    public init(problem: ProblemKind, samples: SampleMetrics, geometry: GeometrySummary? = nil) {
        self.problem = problem
        self.samples = samples
        self.geometry = geometry
    }

    /// The covered modes, for mode hopping (nil for problems without modes).
    public var coveredModes: Set<Int>? { samples.mixture.map { Set($0.coveredModes) } }

    /// The report as an ordered list of named numbers.
    public var metrics: [Metric] {
        var list = [Metric("samples", Double(samples.sampleCount))]
        if let m = samples.mixture {
            list += [Metric("hq_fraction", m.hqFraction), Metric("modes_covered", Double(m.modesCovered)),
                     Metric("modes_covered_strict", Double(m.strictModesCovered)),
                     Metric("reverse_kl", m.reverseKL), Metric("negative_space", m.negativeSpace)]
            list += m.hqCountPerMode.enumerated().map { Metric("hq_count_mode_\($0.offset)", Double($0.element)) }
        }
        if let s = samples.spiral {
            list += [Metric("negative_space", s.negativeSpace), Metric("tau", s.tau),
                     Metric("coverage_bins", Double(s.coveredBins)), Metric("coverage", s.coverage)]
        }
        if let n = samples.normality {
            list += [Metric("ks_x0", n.ksX0), Metric("ks_x1", n.ksX1), Metric("ks_threshold", n.ksThreshold),
                     Metric("ks_pass", n.marginalsPass ? 1 : 0), Metric("radial_ks", n.radialKS),
                     Metric("angular_ks", n.angularKS), Metric("tail_r2_9_21", n.radialTailMass),
                     Metric("tail_x0_2_576", n.tailMassX0), Metric("tail_x1_2_576", n.tailMassX1)]
        }
        if let r = samples.reference {
            list += [Metric("negative_space", r.negativeSpace), Metric("tau", r.tau)]
        }
        if let m = samples.manifold {
            list += [Metric("precision_k3", m.precision), Metric("recall_k3", m.recall),
                     Metric("density_k5", m.density), Metric("coverage_k5", m.coverage)]
        }
        if let g = geometry { list += Self.metrics(of: g) }
        return list
    }

    /// The metric names, comma-separated (no newline).
    public var csvHeader: String { metrics.map(\.name).joined(separator: ",") }

    /// The metric values, comma-separated in `csvHeader` order (shortest round-trip decimals).
    public var csvRow: String { metrics.map { "\($0.value)" }.joined(separator: ",") }

    /// The value of the metric called `name`, if the report has it.
    public func value(of name: String) -> Double? {
        metrics.first { $0.name == name }?.value
    }

    private static func metrics(of g: GeometrySummary) -> [Metric] {
        func summary(_ prefix: String, _ s: QuantileSummary) -> [Metric] {
            [Metric("\(prefix)_median", s.median), Metric("\(prefix)_p95", s.p95), Metric("\(prefix)_max", s.max)]
        }
        var list = [Metric("grid_size", Double(g.gridSize)), Metric("tear_edges", Double(g.tearEdgeCount)),
                    Metric("tear_mass", g.tearMass), Metric("tear_length", g.tearLength),
                    Metric("tear_width", g.tearWidth), Metric("folded_fraction", g.foldedFraction),
                    Metric("folded_flag", g.isFolded ? 1 : 0), Metric("lipschitz", g.lipschitz),
                    Metric("max_stretch", g.maxStretch)]
        list += summary("jacobian_frobenius", g.frobeniusNorm)
        list += summary("sigma_max", g.largestSingularValue)
        list += summary("abs_det", g.absoluteDeterminant)
        if let offTarget = g.negativeSpaceLatentMass { list.append(Metric("latent_mass_negative_space", offTarget)) }
        if let masses = g.latentMassPerMode, let components = g.componentsPerMode {
            list += masses.enumerated().map { Metric("latent_mass_mode_\($0.offset)", $0.element) }
            list += components.enumerated().map { Metric("components_mode_\($0.offset)", Double($0.element)) }
        }
        return list
    }
}
