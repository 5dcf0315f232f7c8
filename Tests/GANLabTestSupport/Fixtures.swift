import Foundation
import GANLabCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The fixtures every test target shares: the package root, temporary folders and the tiny
// experiments that keep debug-build tests fast.

/// The package root (this file is Tests/GANLabTestSupport/Fixtures.swift).
public let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh temporary folder, removed by the caller; readable by every user, so a child process
/// dropped to `nobody` can reach it.
public func temporaryFolder(_ name: String) -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("ganlab-test-\(name)-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    chmod(path, 0o755)
    return path
}

/// A small, fast experiment of any problem: 16-wide nets, batches 32/32/64, one thread, a 16²
/// diagnostics grid.
public func tinyConfig(_ problem: ProblemKind = .spiral, seed: UInt64 = 5, steps: Int = 60, probes: Int = 50,
                       frameEvery: Int = 5, logEvery: Int = 5, snapshotEvery: Int = 20) -> ExperimentConfig {
    var c = ExperimentConfig()
    c.problem = problem
    c.seed = seed
    c.generator.hidden = [16, 16]
    c.discriminator.hidden = [16, 16]
    c.train.steps = steps
    c.train.realBatch = 32
    c.train.fakeBatch = 32
    c.train.generatorBatch = 64
    c.train.threads = 1
    c.output.probeCount = probes
    c.output.frameEvery = frameEvery
    c.output.logEvery = logEvery
    c.output.snapshotEvery = snapshotEvery
    c.output.diagnosticsGrid = 16
    return c
}

/// The tiny experiment as a file for the built binary: 400 steps (tests replace `steps: 400`), a
/// snapshot every 40, a trace frame every 10.
public let tinyYAML = """
    description: end-to-end test run
    problem: spiral
    seed: 4
    generator:
      hidden: [32, 32]
    discriminator:
      hidden: [32, 32]
    train:
      steps: 400
      threads: 1
    output:
      probeCount: 200
      frameEvery: 10
      logEvery: 10
      snapshotEvery: 40
      diagnosticsGrid: 24
    """
