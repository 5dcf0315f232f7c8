import Foundation
import Testing
import GANLabCore

@Suite("Kernel plans in runs (built binary)")
struct KernelPlanCommandTests {
    @Test("train.kernels: auto records the measured plan; a resume uses the recorded plan, not the cache, and ends byte-identical")
    func autoPlanIsRecordedAndResumed() throws {
        let dir = temporaryFolder("kernels")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/tiny.yaml"
        try tinyYAML.replacingOccurrences(of: "steps: 400", with: "steps: 120").write(toFile: file, atomically: true, encoding: .utf8)
        // Measure, whatever the test suite's GANLAB_KERNELS says, into a cache of this test's own.
        let environment: [String: String?] = ["GANLAB_KERNELS": nil, "XDG_CACHE_HOME": dir + "/cache"]

        let straight = try CLI.run(["run", file, "--out", dir + "/straight", "--no-render"], environment: environment)
        #expect(straight.status == 0, "\(straight.stderr)")
        let config = try ExperimentConfig.load(contentsOf: URL(fileURLWithPath: dir + "/straight/config.yaml"))
        // The tiny networks' shapes with a choice, each with three kernels: 2x32 and 32x32 (G and
        // D), 32x2 and 32x1.
        let entries = config.train.kernels.split(separator: " ").map { $0.split(separator: ":") }
        #expect(Set(entries.map { String($0[0]) }) == ["2x32", "32x32", "32x2", "32x1"], "\(config.train.kernels)")
        #expect(entries.allSatisfy { $0.count == 2 && $0[1].split(separator: ",").allSatisfy { $0 == "t" || $0 == "b" } })
        #expect(straight.stdout.contains("kernels: \(config.train.kernels)"))
        let cacheFile = dir + "/cache/ganlab/kernel-plans.json"
        #expect(FileManager.default.fileExists(atPath: cacheFile))

        // Half the run, then the cache rewritten to the opposite choices, then the rest.
        let half = try CLI.run(["run", file, "--out", dir + "/resumed", "--no-render", "--set", "train.steps=60"], environment: environment)
        #expect(half.status == 0, "\(half.stderr)")
        let cache = try String(contentsOfFile: cacheFile, encoding: .utf8)
        let flipped = cache.replacingOccurrences(of: "t", with: "#").replacingOccurrences(of: "b", with: "t").replacingOccurrences(of: "#", with: "b")
        try flipped.write(toFile: cacheFile, atomically: true, encoding: .utf8)
        let rest = try CLI.run(["run", "--resume", dir + "/resumed", "--steps", "120", "--no-render"], environment: environment)
        #expect(rest.status == 0, "\(rest.stderr)")
        let a = RunDirectory(path: dir + "/straight"), b = RunDirectory(path: dir + "/resumed")
        // The resumed run also kept its step-60 snapshot, where its first part ended.
        #expect(try b.listSnapshots() == (a.listSnapshots() + [60]).sorted())
        for step in try a.listSnapshots() {
            #expect(contents(a.snapshotPath(step: step)) == contents(b.snapshotPath(step: step)), "snapshot \(step)")
        }
        #expect(contents(a.tracePath) == contents(b.tracePath))

        // GANLAB_KERNELS=fixed: the build's fixed rule, recorded as such.
        let fixed = try CLI.run(["run", file, "--out", dir + "/fixed", "--no-render", "--set", "train.steps=10"],
                                environment: ["GANLAB_KERNELS": "fixed", "XDG_CACHE_HOME": dir + "/cache"])
        #expect(fixed.status == 0 && fixed.stdout.contains("kernels: fixed"), "\(fixed.stderr)")
    }
}
