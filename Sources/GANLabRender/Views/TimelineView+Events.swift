import Foundation
import GANLabCore

extension TimelineView {
    /// One label of the event strip: the events of one kind at one step.
    struct EventLabel {
        var step: Int
        var kind: TimelineEvent.Kind
        var text: String
    }

    /// The labels of the event strip, in step order. Events of one kind at one step share a label
    /// ("modes 3, 5 lost"); a strict mode event is left out when the literature event for the same
    /// mode and direction is there too (it says the same thing).
    static func eventLabels(_ events: [TimelineEvent]) -> [EventLabel] {
        var labels: [EventLabel] = []
        let steps = Array(Set(events.map(\.step))).sorted()
        for step in steps {
            let here = events.filter { $0.step == step }
            let literature = Set(here.filter { $0.kind == .modeLost || $0.kind == .modeRegained }
                .compactMap { e in e.mode.map { "\(e.kind == .modeLost)-\($0)" } })
            for kind in TimelineEvent.Kind.allCases {
                var group = here.filter { $0.kind == kind }
                if kind == .modeLostStrict || kind == .modeRegainedStrict {
                    group.removeAll { e in e.mode.map { literature.contains("\(kind == .modeLostStrict)-\($0)") } ?? false }
                }
                guard let first = group.first else { continue }
                labels.append(EventLabel(step: step, kind: kind, text: labelText(kind, group: group, first: first)))
            }
        }
        return labels
    }

    private static func labelText(_ kind: TimelineEvent.Kind, group: [TimelineEvent], first: TimelineEvent) -> String {
        let modes = group.compactMap(\.mode).map(String.init)
        let subject = (modes.count == 1 ? "mode " : "modes ") + modes.joined(separator: ", ")
        switch kind {
        case .modeLost: return subject + " lost"
        case .modeRegained: return subject + " back"
        case .modeLostStrict: return subject + " lost*"
        case .modeRegainedStrict: return subject + " back*"
        case .modeHop: return String(format: "hop %.2f", first.value)
        case .tearOpened: return "tear opened"
        case .tearClosed: return "tear closed"
        case .foldAppeared: return "fold appeared"
        case .foldDisappeared: return "fold gone"
        }
    }

    /// The event strip: a triangle under each event step (in the colour of its first label), and the labels in lanes above it (the
    /// lowest lane where a label does not overlap its left neighbour). Returns how many labels
    /// fitted nowhere (the caller says so in the summary line).
    @discardableResult
    static func drawEventBand(_ events: [TimelineEvent], axes: CurveAxes, lanes: Int, on canvas: Canvas) -> Int {
        let band = axes.plot, font = axes.fontSize
        canvas.strokeLine(from: (band.x, band.maxY - 0.5), to: (band.maxX, band.maxY - 0.5), color: .grey(0.7), lineWidth: 1)
        canvas.drawText("events", x: band.x - font * 0.6, y: band.maxY - font * 0.4, size: font, color: .grey(0.3),
                        align: .right, vertical: .bottom)
        guard !events.isEmpty else {
            canvas.drawText("no events between snapshots", x: band.x + font * 0.3, y: band.maxY - font * 0.9, size: font * 0.9,
                            color: .grey(0.55), vertical: .bottom)
            return 0
        }
        let size = font * 0.9, gap = font * 0.6, laneHeight = font * 1.3
        var laneRight = [Double](repeating: -.infinity, count: lanes)
        var hidden = 0
        let r = font * 0.4
        var marked = Set<Int>()
        for label in eventLabels(events) {
            let x = axes.pixelX(Double(label.step))
            let color = color(of: label.kind)
            if marked.insert(label.step).inserted {
                canvas.fillPolygon([x - r, band.maxY - r * 1.6, x + r, band.maxY - r * 1.6, x, band.maxY], color: color)
            }
            let width = canvas.measureText(label.text, size: size).advance
            let rightAligned = x - font * 0.2 + width > band.maxX
            let left = rightAligned ? x + font * 0.2 - width : x - font * 0.2
            guard let lane = laneRight.indices.first(where: { laneRight[$0] + gap <= left }) else {
                hidden += 1
                continue
            }
            laneRight[lane] = left + width
            let baseline = band.maxY - r * 2.2 - Double(lane) * laneHeight
            canvas.drawText(label.text, x: left, y: baseline, size: size, color: color)
        }
        return hidden
    }

    /// A dashed vertical line at every event step: in the colour of the first event of `kinds` at
    /// that step, or faint grey when the panel is not about any of that step's events.
    static func drawEventLines(_ events: [TimelineEvent], kinds: Set<TimelineEvent.Kind>, axes: CurveAxes, on canvas: Canvas) {
        let plot = axes.plot
        for step in Array(Set(events.map(\.step))).sorted() {
            let x = axes.pixelX(Double(step)).rounded() + 0.5
            if let relevant = events.first(where: { $0.step == step && kinds.contains($0.kind) }) {
                canvas.strokeDashedLine(from: (x, plot.y), to: (x, plot.maxY), color: color(of: relevant.kind),
                                        lineWidth: axes.lineWidth * 1.5, dash: axes.fontSize * 0.4)
            } else {
                canvas.strokeDashedLine(from: (x, plot.y), to: (x, plot.maxY), color: faintEventColor, lineWidth: 1,
                                        dash: axes.fontSize * 0.3)
            }
        }
    }
}
