import Foundation
import GANLabFuzzChecks

// libFuzzer target: arbitrary bytes as a snapshot file and as a trace file. Built only with
// GANLAB_FUZZ=1 (see Package.swift and `make fuzz`). The invariants live in
// `FuzzChecks.snapshotAndTrace` (Sources/GANLabFuzzChecks), which every build compiles and the
// tests run on the seed corpus; a broken invariant stops the fuzzer with the input saved.

/// A scratch file for the trace reader, in memory when /dev/shm exists (no disk writes per input).
private let tracePath: String = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm"
        : FileManager.default.temporaryDirectory.path
    return folder + "/ganlab-fuzz-\(getpid()).bin"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSnapshot(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    if let finding = FuzzChecks.snapshotAndTrace(bytes, tracePath: tracePath) { fatalError(finding) }
    return 0
}
