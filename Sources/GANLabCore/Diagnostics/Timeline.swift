import Foundation

/// One change between two consecutive snapshots of a run: a mode lost or regained, a mode hop, a
/// tear opening or closing, a fold appearing or disappearing.
public struct TimelineEvent: Sendable, Equatable {
    /// What changed. The raw values are the `event` column of events.csv.
    public enum Kind: String, Sendable, CaseIterable {
        /// A mode that had ≥ 1 HQ sample has none (the literature's coverage, docs/METRICS.md §4).
        case modeLost = "mode_lost"
        /// A mode with no HQ sample has ≥ 1 again.
        case modeRegained = "mode_regained"
        /// A mode fell below the strict minimum, 20 % of N/K HQ samples.
        case modeLostStrict = "mode_lost_strict"
        /// A mode reached the strict minimum again.
        case modeRegainedStrict = "mode_regained_strict"
        /// The covered-mode set changed: Jaccard distance > 0 (docs/METRICS.md §4, "Mode hopping").
        case modeHop = "mode_hop"
        /// Tear mass rose above `Timeline.tearMassLevel`.
        case tearOpened = "tear_opened"
        /// Tear mass fell to `Timeline.tearMassLevel` or below.
        case tearClosed = "tear_closed"
        /// The folded fraction rose above the 1 % flag of docs/METRICS.md §4.4.
        case foldAppeared = "fold_appeared"
        /// The folded fraction fell to 1 % or below.
        case foldDisappeared = "fold_disappeared"
    }

    /// The snapshot step at which the change was first seen.
    public var step: Int
    /// What changed.
    public var kind: Kind
    /// The mode, for the four mode events.
    public var mode: Int?
    /// A short human-readable account ("mode 3: 41 → 0 HQ samples"); never contains a comma.
    public var detail: String
    /// The measured quantity at `step`: the mode's HQ count, the Jaccard distance, the tear mass
    /// or the folded fraction.
    public var value: Double

    /// An event.
    public init(step: Int, kind: Kind, mode: Int? = nil, detail: String, value: Double) {
        self.step = step
        self.kind = kind
        self.mode = mode
        self.detail = detail
        self.value = value
    }
}

/// The events of a run, from its diagnostics.csv rows (one per snapshot, docs/METRICS.md §4), and the
/// events.csv file they are written to.
///
/// Events compare consecutive snapshots only, so the first snapshot never produces one: a mode
/// missing at the first snapshot was never "lost", it was never found. The rules:
///
/// - Mode lost / regained (mixtures): mode j is covered when it has ≥ 1 HQ sample
///   (`hq_count_mode_j`), the literature's definition behind `modes_covered`. The strict variant
///   uses the strict count of docs/METRICS.md §4.1 (≥ 20 % of N/K HQ samples) and is reported as separate
///   `mode_*_strict` events: with N = 2,500 the literature count almost never drops on the wide
///   `eight-gaussians` modes, while a mode shrinking to a few samples shows up in the strict one.
/// - Mode hop: the Jaccard distance between the literature covered sets, when it is > 0.
/// - Tear opened / closed: tear mass (the latent mass of the tear band, docs/METRICS.md §4.4)
///   crossing 1 % of the latent mass. The band's mass does not depend on the grid, and the oracles
///   score exactly 0, so 1 % means a band that carries one sample in a hundred across negative
///   space. The tear lengths go into the event's detail when the rows have them.
/// - Fold appeared / disappeared: the folded fraction crossing the 1 % flag of docs/METRICS.md §4.4.
public enum Timeline {
    /// Tear mass above which a run counts as torn (1 % of the latent mass).
    public static let tearMassLevel = 0.01
    /// Folded fraction above which a map counts as folded (docs/METRICS.md §4: flag above 1 %).
    public static let foldLevel = MapGeometry.foldedFlagLevel
    /// Share of N/K HQ samples a mode needs to count under the strict definition (docs/METRICS.md §4).
    public static let strictShare = 0.2
    /// The header of events.csv.
    public static let csvHeader = "step,event,detail,value"

    /// A diagnostics.csv row: the snapshot step and the metrics by column name.
    public typealias Row = (step: Int, values: [String: Double])

    /// The events between consecutive rows (sorted by step first), in step order; within a step:
    /// mode events by mode (literature, then strict), the hop, then tears, then folds.
    public static func events(rows: [Row]) -> [TimelineEvent] {
        let sorted = rows.sorted { $0.step < $1.step }
        var events: [TimelineEvent] = []
        for (previous, current) in zip(sorted, sorted.dropFirst()) {
            events += modeEvents(from: previous, to: current)
            events += crossingEvents(from: previous, to: current)
        }
        return events
    }

    // MARK: - Modes

    /// The number of modes K: how many `hq_count_mode_j` columns a row has (0 for non-mixtures).
    public static func modeCount(in values: [String: Double]) -> Int {
        var k = 0
        while values["hq_count_mode_\(k)"] != nil { k += 1 }
        return k
    }

    /// The covered modes of a row: HQ count ≥ 1, or ≥ `strictShare`·N/K when `strict` (nil when
    /// the row has no per-mode counts).
    public static func coveredModes(in values: [String: Double], strict: Bool = false) -> Set<Int>? {
        let k = modeCount(in: values)
        guard k > 0 else { return nil }
        let minimum = strict ? strictMinimum(values, modeCount: k) : 1
        return Set((0..<k).filter { (values["hq_count_mode_\($0)"] ?? 0) >= minimum })
    }

    /// The strict minimum HQ count, 0.2·N/K (N from the `samples` column).
    static func strictMinimum(_ values: [String: Double], modeCount k: Int) -> Double {
        strictShare * (values["samples"] ?? 0) / Double(k)
    }

    private static func modeEvents(from a: Row, to b: Row) -> [TimelineEvent] {
        guard let before = coveredModes(in: a.values), let after = coveredModes(in: b.values),
              let strictBefore = coveredModes(in: a.values, strict: true),
              let strictAfter = coveredModes(in: b.values, strict: true) else { return [] }
        let k = min(modeCount(in: a.values), modeCount(in: b.values))
        let minimum = strictMinimum(b.values, modeCount: k)
        var events: [TimelineEvent] = []
        for j in 0..<k {
            let was = Int(a.values["hq_count_mode_\(j)"] ?? 0), now = Int(b.values["hq_count_mode_\(j)"] ?? 0)
            let counts = "mode \(j): \(was) → \(now) HQ samples"
            if before.contains(j) != after.contains(j) {
                events.append(TimelineEvent(step: b.step, kind: after.contains(j) ? .modeRegained : .modeLost, mode: j,
                                            detail: counts, value: Double(now)))
            }
            if strictBefore.contains(j) != strictAfter.contains(j) {
                let kind: TimelineEvent.Kind = strictAfter.contains(j) ? .modeRegainedStrict : .modeLostStrict
                events.append(TimelineEvent(step: b.step, kind: kind, mode: j,
                                            detail: counts + String(format: " (strict minimum %.1f)", minimum),
                                            value: Double(now)))
            }
        }
        let hop = Diagnostics.jaccardDistance(before, after)
        if hop > 0 {
            events.append(TimelineEvent(step: b.step, kind: .modeHop,
                                        detail: "covered \(setText(before)) → \(setText(after))", value: hop))
        }
        return events
    }

    /// "{0 1 2}": a mode set without commas, so it fits a CSV field unquoted.
    static func setText(_ modes: Set<Int>) -> String {
        "{" + modes.sorted().map(String.init).joined(separator: " ") + "}"
    }

    // MARK: - Tears and folds

    private static func crossingEvents(from a: Row, to b: Row) -> [TimelineEvent] {
        var events: [TimelineEvent] = []
        if let was = a.values["tear_mass"], let now = b.values["tear_mass"], was.isFinite, now.isFinite,
           (was > tearMassLevel) != (now > tearMassLevel) {
            let lengths = [a.values["tear_length"], b.values["tear_length"]].compactMap { $0 }.filter(\.isFinite)
            let edgeText = lengths.count == 2
                ? "; tear length " + lengths.map { String(format: "%.2f", $0) }.joined(separator: " → ") : ""
            events.append(TimelineEvent(step: b.step, kind: now > tearMassLevel ? .tearOpened : .tearClosed,
                                        detail: "tear mass \(percent(was)) → \(percent(now))" + edgeText, value: now))
        }
        if let was = a.values["folded_fraction"], let now = b.values["folded_fraction"], was.isFinite, now.isFinite,
           (was > foldLevel) != (now > foldLevel) {
            events.append(TimelineEvent(step: b.step, kind: now > foldLevel ? .foldAppeared : .foldDisappeared,
                                        detail: "folded fraction \(percent(was)) → \(percent(now))", value: now))
        }
        return events
    }

    /// A share as a percentage with two significant decimals ("0.37 %").
    static func percent(_ share: Double) -> String {
        String(format: share * 100 < 10 ? "%.2f %%" : "%.1f %%", share * 100)
    }

    // MARK: - events.csv

    /// Path of the events table inside a run folder.
    public static func eventsPath(in run: RunDirectory) -> String { run.path + "/events.csv" }

    /// events.csv text: the header `step,event,detail,value`, then one row per event (value in
    /// shortest round-trip decimals; a detail with a comma or quote would be quoted, RFC 4180).
    public static func csv(_ events: [TimelineEvent]) -> String {
        var text = csvHeader + "\n"
        for e in events {
            text += "\(e.step),\(e.kind.rawValue),\(quoted(e.detail)),\(e.value)\n"
        }
        return text
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(",") || field.contains("\"") || field.contains("\n") else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The events of a run folder's diagnostics.csv (empty when it has fewer than two rows).
    public static func events(in run: RunDirectory) -> [TimelineEvent] {
        events(rows: SnapshotDiagnostics.read(from: run))
    }

    /// Replaces RUN/events.csv with `events` (atomically; a header alone when there are none).
    public static func write(_ events: [TimelineEvent], to run: RunDirectory) throws {
        try writeAtomically(csv(events), to: eventsPath(in: run))
    }

    /// Computes the events of a run from its diagnostics.csv and writes RUN/events.csv.
    @discardableResult
    public static func writeEvents(for run: RunDirectory) throws -> [TimelineEvent] {
        let list = events(in: run)
        try write(list, to: run)
        return list
    }
}
