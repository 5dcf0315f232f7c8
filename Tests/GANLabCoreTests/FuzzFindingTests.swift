import Foundation
import Testing

@testable import GANLabCore

/// Inputs that `make fuzz` (libFuzzer) found to break an invariant, kept as ordinary tests.
///
/// Each case is the fuzzer's input (base64, as libFuzzer prints it, or the text it minimised to)
/// with what went wrong before the fix; the test asserts the behaviour every input must have.
@Suite("Fuzz findings")
struct FuzzFindingTests {
    // MARK: - Experiment files (Sources/FuzzExperimentFile)

    /// A rejected experiment file's message: one line, starting with the file name.
    private func expectOneLineRejection(_ data: Data) -> ConfigError? {
        do {
            _ = try ExperimentConfig.load(data: data, file: "fuzz.yaml")
            Issue.record("accepted: \(String(decoding: data, as: UTF8.self).debugDescription)")
            return nil
        } catch {
            let message = error.description
            #expect(message.hasPrefix("fuzz.yaml"), "\(message)")
            #expect(!message.contains { $0.isNewline }, "\(message.debugDescription)")
            return error
        }
    }

    @Test("carriage returns (YAML line breaks) quoted from a syntax error no longer split the message")
    func carriageReturnsInSyntaxError() throws {
        // Found in the first minute: `a: &x, ` + 99 × CR + `2[1 ]\nb: *x\n---\n&`. The message quoted
        // the source "line" (split on \n only) with its raw CRs, so it printed as many lines.
        let data = try #require(Data(base64Encoded: "YTogJngsIA0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDTJbMSBdCmI6ICp4Ci0tLQom"))
        let error = expectOneLineRejection(data)
        #expect(error?.kind == .syntax)
    }

    @Test("line numbers count every YAML line break (CR, CRLF, LF, NEL, LS, PS) as libyaml does")
    func lineBreakKinds() {
        for (breakText, name) in [("\r", "CR"), ("\r\n", "CRLF"), ("\n", "LF"), ("\u{85}", "NEL"), ("\u{2028}", "LS")] {
            let text = ["problem: spiral", "train:", "  steps: [1, 2", "  realBatch: 3", ""].joined(separator: breakText)
            let error = expectOneLineRejection(Data(text.utf8))
            #expect(error?.location == "fuzz.yaml:4", "\(name): \(error?.description ?? "")")
        }
    }

    @Test("keys and values holding line breaks are shown escaped")
    func escapedLineBreaks() {
        let error = expectOneLineRejection(Data("train:\n  \"a\\nb\\u2028c\": 1\n".utf8))
        #expect(error?.description.contains("unknown key 'a\\nb\\u{2028}c'") == true, "\(error?.description ?? "")")
        let value = expectOneLineRejection(Data("problem: \"spi\\rral\"\n".utf8))
        #expect(value?.description.contains("'spi\\rral'") == true, "\(value?.description ?? "")")
    }

    // MARK: - Snapshots and traces (Sources/FuzzSnapshot)

    @Test("a declared file length beyond Int64 is an implausible size, not a trap")
    func fileLengthBeyondInt64() throws {
        // Found in the first seconds: 27 bytes, file length 0xFFFFFFE6_00FFFFFF. Int64(fileLength)
        // trapped ("Not enough bits to represent the passed value") while building the message.
        let bytes = try #require(Data(base64Encoded: "R0FOTFNOQVABAAAAAAAAAAAAAP///wDm////"))
        do {
            _ = try Snapshot(decoding: Array(bytes), path: "fuzz.snap")
            Issue.record("decoded a 27-byte snapshot")
        } catch let error as StorageError {
            guard case .implausibleSize(_, let field, _, _) = error else {
                Issue.record("expected an implausible size, got \(error)")
                return
            }
            #expect(field == "file length")
            #expect(error.description.hasPrefix("fuzz.snap declares an implausible file length"))
        }
    }
}
