import Foundation

/// What the machine is and how busy it is (Linux /proc; placeholders elsewhere).
public enum MachineLoad {
    /// The CPU's model name, from /proc/cpuinfo.
    public static var cpuModel: String {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    }

    /// The 1-, 5- and 15-minute load averages, two decimals each ("unknown" when unavailable).
    public static var loadAverage: String {
        var loads = [Double](repeating: 0, count: 3)
        guard getloadavg(&loads, 3) == 3 else { return "unknown" }
        return loads.map { String(format: "%.2f", $0) }.joined(separator: " ")
    }

    /// The 1-minute load average alone.
    public static var oneMinuteLoad: String {
        loadAverage.split(separator: " ").first.map(String.init) ?? "?"
    }

    /// Share of CPU time the hypervisor took (steal) since creation.
    public struct StealMeter: Sendable {
        private let start = StealMeter.ticks()

        /// Starts counting from now.
        public init() {}

        /// Steal as a percentage of all CPU time since `init` (0 when /proc/stat is unreadable).
        public var percent: Double {
            let now = StealMeter.ticks()
            let total = now.total - start.total
            return total > 0 ? 100 * Double(now.steal - start.steal) / Double(total) : 0
        }

        /// The steal ticks and the sum of all ticks on the aggregate `cpu` line (the first) of a
        /// /proc/stat text; zeros when the line has fewer than eight counters.
        public static func ticks(procStat text: String) -> (steal: Int, total: Int) {
            let fields = text.split(separator: "\n").first?.split(separator: " ").dropFirst().compactMap { Int($0) } ?? []
            guard fields.count >= 8 else { return (0, 0) }
            return (fields[7], fields.reduce(0, +))
        }

        private static func ticks() -> (steal: Int, total: Int) {
            ticks(procStat: (try? String(contentsOfFile: "/proc/stat", encoding: .utf8)) ?? "")
        }
    }
}
