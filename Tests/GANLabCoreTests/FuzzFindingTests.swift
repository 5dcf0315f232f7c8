import Foundation
import Testing

@testable import GANLabCore
import GANLabFuzzChecks

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
        // Found in the first seconds of the first run: experiments/eight-gaussians.yaml mutated so that
        // a CR splits line 8; the syntax error quoted "line 8" with the CR and its tail.
        let mutated = try #require(Data(base64Encoded: splitLine8Base64))
        let split = expectOneLineRejection(mutated)
        #expect(split?.location == "fuzz.yaml:8" && split?.kind == .syntax, "\(split?.description ?? "")")
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

    @Test("a name or key of a megabyte is cut short in the message, with no edit-distance search over it")
    func hugeNamesAreCut() {
        // Found by hand beyond libFuzzer's 4 KB inputs: `problem: ` + 1 MB of 'a' printed a 1 MB
        // error line after a 4.6 s edit-distance search (debug build).
        let long = String(repeating: "a", count: 1_000_000)
        for text in ["problem: \(long)\n", "? \(long)\n: 1\n", "train:\n  ? \(long)\n  : 1\n"] {
            let clock = ContinuousClock(), start = clock.now
            let error = expectOneLineRejection(Data(text.utf8))
            #expect(clock.now - start < .seconds(5))
            #expect((error?.description.count ?? 0) < 600, "\(error?.description.prefix(200) ?? "")")
            #expect(error?.description.contains("aaaa…") == true)
        }
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

    // MARK: - Point sets (Sources/FuzzPointSet)

    @Test("a CSV field holding vertical tabs is quoted escaped and cut: the message stays one line")
    func verticalTabsInAField() throws {
        // The minimised finding: row 12's x field was "0.8" followed by 150 vertical tabs (U+000B,
        // a line break to Swift's isNewline) and "660"; the message quoted the field verbatim.
        let rows = (0..<11).map { "\($0),1.0,a,0.5" } + ["11,0.8" + String(repeating: "\u{0B}", count: 150) + "660,a,0.5"]
            + (12..<120).map { "\($0),1.0,a,0.5" }
        let text = "id,x,label,y\n" + rows.joined(separator: "\n") + "\n"
        #expect(FuzzChecks.pointSet(Data(text.utf8)) == nil)
        do {
            _ = try FileTarget.decode(bytes: Array(text.utf8), file: "p.csv", kind: .points, settings: TargetConfig())
            Issue.record("accepted a non-number")
        } catch {
            let message = "\(error)"
            #expect(message.hasPrefix("p.csv:13: x is '0.8\\u{000B}") && !message.contains(where: \.isNewline), "\(message)")
            #expect(message.count < 600, "\(message.count) characters")  // ≤ 60 quoted characters, ≤ 8 each escaped
        }
    }
}

/// The mutated eight-gaussians.yaml of `carriageReturnsInSyntaxError`, base64.
private let splitLine8Base64 = [
    "IyBFaWdodCBHYXVzc2lhbnMgZGVtbzogdGhlIG9uZS1ob3QgbW9kZSBpbnB1dCBsZXRzIEcgc2VuZCBlYWNoIGNvbXBvbmVu",
    "dCB0byBpdHMgb3duIG1vZGUuCiMKIyBEZW1vIHNpemU6IHRoZSBhcnRpY2xlJ3MgcmVjaXBlIChvcHRpbWl6ZXJzLCBiYXRj",
    "aGVzLCBsb3NzLCBpbml0KSB3aXRoIHNtYWxsZXIgbmV0d29ya3MgYW5kIGZld2VyCiMgc3RlcHMsIGFpbWluZyBhdCB3ZWxs",
    "IHVuZGVyIHR3byBtaW51dGVzIG9mIHRyYWluaW5nIGluIGEgcmVsZWFzZSBidWlsZCBvbiBhIDItY29yZSBtYWNoaW5lLiBL",
    "ZXlzIG5vdAojIHdyaXR0ZW4gaGVyZSBrZWVwIHRoZWlyIGRlZmF1bHRzICh0aGUgYXJ0aWNsZSdzIHZhbHVlczsgc2VlIFNv",
    "dXJjZXMvR0FOTGFiQ29yZS9FeHBlcmltZW50Q29uZmlnLnN3aWZ0KS4KIyBGb3IgdGhlIGZ1bGwtc2l6ZSBydW4gdXNlIHRo",
    "ZSBlaWdodC1nYXVzc2lhbjMtYXJ0aWNsZSBleHBlcmltZW50LgpkZXNjcmlwdGlvbjogIkVpZ2h0IEdhdXNzaWFucywgZGVt",
    "byBzaXplOiAzw5cxMjggbmV0cywgNCwwMDAgc3RlcHMiCnByb2JsZW06IGVpZ2h0LWdhdSJFaWdodCBHYXVzc2lhbnMsIGRl",
    "bW8gc2l6ZToNM8OXMTI4IG5ldHMsIDQsMDAwIHN0ZXBzbGU6IDMgw5cgNTEyCiAgb3V0cHV0OiBpZGVudGl0eSAgICAgICAg",
    "ICMgbGluZWFyLCBhcyBpbiB0aGUgYXJ0aWNsZQoKZGlzY3JpbWluYXRvcjoKICBoaWRkZW46IFsxMjgsIDEyOCwgMTI4XSAg",
    "IyBhcnRpY2xlOiAzIMOXIDUxMgoKdHJhaW46CiAgc3RlcHM6IDQwMDAgICAgICAgICAgICAgICMgc3RhcnRpbmcgdmFsdWU7",
    "IHR1bmUgYWZ0ZXIgbWVhc3VyaW5nIHN0ZXBzL3NlY29uZAoKb3V0cHV0OgogIHByb2JlQ291bnQ6IDUwMDAKICBmcmFtZUV2",
    "ZXJ5OiA1MCAgICAgICAgICAgCg==",
].joined()
