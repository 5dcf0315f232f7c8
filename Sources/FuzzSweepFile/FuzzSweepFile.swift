import Foundation
import GANLabCore
import GANLabFuzzChecks

// libFuzzer target: arbitrary bytes as the contents of a sweep file, expanded against the
// experiments in ./experiments (`make fuzz` runs from the repository's root). Built only with
// GANLAB_FUZZ=1. The invariants live in `FuzzChecks.sweepFile` (Sources/GANLabFuzzChecks).

private let library = ExperimentLibrary(directory: URL(fileURLWithPath: "experiments"))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSweepFile(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    if let finding = FuzzChecks.sweepFile(data, library: library) { fatalError(finding) }
    return 0
}
