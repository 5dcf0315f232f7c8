import Foundation
import GANLabFuzzChecks

// libFuzzer target: arbitrary bytes as a `points` target file (a CSV of x, y and an optional
// weight). Built only with GANLAB_FUZZ=1. The invariants live in `FuzzChecks.pointSet`
// (Sources/GANLabFuzzChecks).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPointSet(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    if let finding = FuzzChecks.pointSet(data) { fatalError(finding) }
    return 0
}
