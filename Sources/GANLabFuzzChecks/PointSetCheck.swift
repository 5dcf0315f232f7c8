import Foundation
import GANLabCore
import GANLabEngine

extension FuzzChecks {
    /// The file name point-set messages must name.
    public static let pointSetFileName = "fuzz.csv"

    /// Bytes as a `points` target file (`FileTarget.decode`, what `ganlab run` does once the file
    /// is read). Every input must end in one of two ways:
    ///   - a target of at least `FileTarget.minimumPoints` finite atoms, a cumulative weight table
    ///     that rises from ≥ 0 to exactly 1, a positive finite extent, and draws that are finite, or
    ///   - an error whose message is one line starting with the file name.
    /// Returns what went wrong, or nil.
    public static func pointSet(_ data: Data) -> String? {
        var settings = TargetConfig()
        settings.file = pointSetFileName
        let target: FileTarget
        do {
            target = try FileTarget.decode(bytes: [UInt8](data), file: pointSetFileName, kind: .points, settings: settings)
        } catch {
            let message = "\(error)"
            if !message.hasPrefix(pointSetFileName) { return "the message does not start with the file name: \(message)" }
            if message.contains(where: \.isNewline) { return "the message spans several lines: \(message.debugDescription)" }
            return nil
        }
        if target.atomCount < FileTarget.minimumPoints { return "accepted \(target.atomCount) points" }
        if (0..<target.atomCount).contains(where: { !target.atom($0).x.isFinite || !target.atom($0).y.isFinite }) {
            return "accepted a non-finite point"
        }
        if target.cumulative.last != 1 || zip(target.cumulative, target.cumulative.dropFirst()).contains(where: { $0 > $1 })
            || !(target.cumulative.first.map { $0 >= 0 } ?? false) {
            return "the cumulative weights are not a table rising to 1"
        }
        if !(target.extent > 0 && target.extent.isFinite) { return "extent \(target.extent)" }
        var rng = RandomSource(seed: 1)
        let samples = ToyProblem(file: target).sampleTargets(count: 64, using: &rng)
        if samples.contains(where: { !$0.isFinite }) { return "a drawn sample is not finite" }
        return nil
    }
}
