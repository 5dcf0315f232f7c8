import Foundation
import GANLabFuzzChecks

// libFuzzer target: arbitrary bytes as a PNG file. Built only with GANLAB_FUZZ=1 (see
// Package.swift and `make fuzz`). The invariants live in `FuzzChecks.picture`
// (Sources/GANLabFuzzChecks), which every build compiles and the tests run on the seed corpus.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPicture(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    if let finding = FuzzChecks.picture(data) { fatalError(finding) }
    return 0
}
