import Foundation
import GANLabFuzzChecks

// libFuzzer target: arbitrary bytes as the contents of an experiment file. Built only with
// GANLAB_FUZZ=1 (see Package.swift and `make fuzz`). The invariants live in
// `FuzzChecks.experimentFile` (Sources/GANLabFuzzChecks), which every build compiles and the tests
// run on the seed corpus; a broken invariant stops the fuzzer with the input saved, like a crash.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExperimentFile(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    if let finding = FuzzChecks.experimentFile(data) { fatalError(finding) }
    return 0
}
