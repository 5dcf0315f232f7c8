import Foundation
import Testing

@testable import GANLabCore

/// Builds DEFLATE streams bit by bit (RFC 1951 §3.1.1): values least significant bit first,
/// Huffman codes most significant bit first.
private struct BitWriter {
    var bytes: [UInt8] = []
    private var used = 0

    mutating func write(_ value: Int, bits: Int) {
        for k in 0..<bits {
            if used == 0 { bytes.append(0) }
            bytes[bytes.count - 1] |= UInt8((value >> k) & 1) << used
            used = (used + 1) % 8
        }
    }

    mutating func writeCode(_ code: Int, length: Int) {
        for k in stride(from: length - 1, through: 0, by: -1) { write((code >> k) & 1, bits: 1) }
    }

    /// A symbol of the fixed literal/length code (RFC 1951 §3.2.6).
    mutating func writeFixed(_ symbol: Int) {
        switch symbol {
        case 0..<144: writeCode(0x30 + symbol, length: 8)
        case 144..<256: writeCode(0x190 + symbol - 144, length: 9)
        case 256..<280: writeCode(symbol - 256, length: 7)
        default: writeCode(0xC0 + symbol - 280, length: 8)
        }
    }

    /// A stored block holding `content`, starting on the next byte boundary after its header.
    mutating func writeStored(_ content: [UInt8], final: Bool) {
        write(final ? 1 : 0, bits: 1)
        write(0, bits: 2)
        used = 0
        bytes += [UInt8(content.count & 0xFF), UInt8(content.count >> 8)]
        bytes += [UInt8(~content.count & 0xFF), UInt8((~content.count >> 8) & 0xFF)]
        bytes += content
    }
}

/// `deflate` wrapped as a zlib stream: the header 78 01 and the Adler-32 of `content`.
private func zlibStream(_ deflate: [UInt8], content: [UInt8]) -> [UInt8] {
    let adler = Adler32.checksum(content[...])
    return [0x78, 0x01] + deflate + withUnsafeBytes(of: adler.bigEndian, Array.init)
}

extension PNGDecoderTests {
    static let zlibFolder = fixtures.appendingPathComponent("zlib")

    static let zlibStreams: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: zlibFolder.path)) ?? []
        return names.filter { $0.hasPrefix("data-") && $0.hasSuffix(".zz") }.sorted()
    }()

    // MARK: - zlib's own streams

    @Test("zlib's streams inflate back to the original bytes: stored, fixed and dynamic blocks, levels 0–9, strategies, flushes",
          arguments: zlibStreams)
    func roundTrip(name: String) throws {
        let original = [UInt8](try Data(contentsOf: Self.zlibFolder.appendingPathComponent("data.bin")))
        let stream = [UInt8](try Data(contentsOf: Self.zlibFolder.appendingPathComponent(name)))
        #expect(try Inflate.zlib(stream, limit: original.count) == original)
        #expect(throws: InflateError.outputTooLarge(limit: original.count - 1)) {
            try Inflate.zlib(stream, limit: original.count - 1)
        }
    }

    @Test("the fixture streams include every block type and more than one dynamic block")
    func roundTripCoverage() {
        for name in ["level0", "level1", "level6", "level9", "fixed", "many-blocks", "small-blocks", "flushes",
                     "huffman-only", "rle"] {
            #expect(Self.zlibStreams.contains("data-\(name).zz"), "missing data-\(name).zz")
        }
    }

    @Test("matches reach 32 KiB back: 258 bytes, 32500 zeros, the same 258 bytes")
    func farMatches() throws {
        let stream = [UInt8](try Data(contentsOf: Self.zlibFolder.appendingPathComponent("far.zz")))
        let bytes = try Inflate.zlib(stream, limit: 1 << 20)
        try #require(bytes.count == 33016)
        #expect(bytes.prefix(258) == bytes.suffix(258))
        #expect(bytes[258..<32758].allSatisfy { $0 == 0 })
    }

    @Test("a match at the largest distance, 32768, copies from the first byte")
    func largestDistance() throws {
        let first = (0..<32768).map { UInt8(truncatingIfNeeded: $0 &* 131 >> 2) }
        var writer = BitWriter()
        writer.writeStored(first, final: false)
        writer.write(1, bits: 1)  // final
        writer.write(1, bits: 2)  // fixed codes
        writer.writeFixed(257)  // length 3
        writer.writeCode(29, length: 5)  // distance code 29: 24577 + 13 extra bits
        writer.write(32768 - 24577, bits: 13)
        writer.writeFixed(256)
        let content = first + first.prefix(3)
        #expect(try Inflate.zlib(zlibStream(writer.bytes, content: content), limit: content.count) == content)
    }

    @Test("an overlapping match repeats the last bytes (distance 1, length 258)")
    func overlappingMatch() throws {
        var writer = BitWriter()
        writer.write(1, bits: 1)
        writer.write(1, bits: 2)
        writer.writeFixed(Int(UInt8(ascii: "z")))
        writer.writeFixed(285)  // length 258
        writer.writeCode(0, length: 5)  // distance 1
        writer.writeFixed(256)
        let content = [UInt8](repeating: UInt8(ascii: "z"), count: 259)
        #expect(try Inflate.zlib(zlibStream(writer.bytes, content: content), limit: 1000) == content)
    }

    // MARK: - Broken streams

    @Test("empty input, a lone header and every proper prefix of a stream are truncated")
    func truncation() throws {
        #expect(throws: InflateError.truncated) { try Inflate.zlib([], limit: 100) }
        #expect(throws: InflateError.truncated) { try Inflate.zlib([0x78, 0x9C], limit: 100) }
        let stream = [UInt8](try Data(contentsOf: Self.zlibFolder.appendingPathComponent("data-level6.zz")))
        for cut in 2..<stream.count {
            #expect(throws: InflateError.truncated) { try Inflate.zlib(Array(stream.prefix(cut)), limit: 1 << 16) }
        }
    }

    @Test("output over the limit is refused, in a stored block and in a run of matches")
    func limit() throws {
        var writer = BitWriter()
        writer.writeStored([UInt8](repeating: 7, count: 100), final: true)
        let stored = zlibStream(writer.bytes, content: [UInt8](repeating: 7, count: 100))
        #expect(try Inflate.zlib(stored, limit: 100).count == 100)
        #expect(throws: InflateError.outputTooLarge(limit: 99)) { try Inflate.zlib(stored, limit: 99) }
        // Seven kilobytes that would inflate to a megabyte stop at the limit.
        var bomb = BitWriter()
        bomb.write(1, bits: 1)
        bomb.write(1, bits: 2)
        bomb.writeFixed(0)
        for _ in 0..<4096 {
            bomb.writeFixed(285)
            bomb.writeCode(0, length: 5)
        }
        bomb.writeFixed(256)
        #expect(throws: InflateError.outputTooLarge(limit: 5000)) { try Inflate.zlib([0x78, 0x01] + bomb.bytes, limit: 5000) }
        #expect(throws: InflateError.outputTooLarge(limit: 0)) { try Inflate.zlib(stored, limit: 0) }
    }

    @Test("broken headers, block types, lengths and distances are refused with their reason", arguments: [
        ("unknown method", [0x79, 0x9C, 0x03, 0x00], "the zlib header names an unknown compression method"),
        ("check bits", [0x78, 0x9D, 0x03, 0x00], "the zlib header check bits are wrong"),
        ("dictionary", [0x78, 0xBB, 0, 0, 0, 0], "the zlib stream needs a preset dictionary"),
        ("block type 3", [0x78, 0x01, 0x07, 0, 0, 0, 0], "a DEFLATE block has the reserved block type 3"),
        ("stored length", [0x78, 0x01, 0x01, 0x05, 0x00, 0xFA, 0xFE, 1, 2, 3, 4, 5], "a stored block's length check fails"),
    ] as [(String, [UInt8], String)])
    func malformedStreams(label: String, stream: [UInt8], reason: String) {
        #expect(throws: InflateError.malformed(reason), "\(label)") { try Inflate.zlib(stream, limit: 1000) }
    }

    @Test("a match reaching back before the first byte, and undefined fixed-code symbols, are refused")
    func badMatches() {
        var writer = BitWriter()
        writer.write(1, bits: 1)
        writer.write(1, bits: 2)
        writer.writeFixed(65)
        writer.writeFixed(257)
        writer.writeCode(1, length: 5)  // distance 2, one byte written
        #expect(throws: InflateError.malformed("a match reaches back before the start of the data")) {
            try Inflate.zlib([0x78, 0x01] + writer.bytes + [0, 0, 0, 0], limit: 1000)
        }
        for (symbol, reason) in [(286, "a block uses an undefined length symbol"), (30, "a block uses an undefined distance symbol")] {
            var bad = BitWriter()
            bad.write(1, bits: 1)
            bad.write(1, bits: 2)
            bad.writeFixed(65)
            if symbol == 286 {
                bad.writeFixed(286)
            } else {
                bad.writeFixed(257)
                bad.writeCode(symbol, length: 5)
            }
            #expect(throws: InflateError.malformed(reason)) { try Inflate.zlib([0x78, 0x01] + bad.bytes + [0, 0, 0, 0], limit: 1000) }
        }
    }

    /// A dynamic block header: HLIT, HDIST and the code-length code's lengths in RFC order.
    private func dynamicHeader(literals: Int = 257, distances: Int = 1, codeLengthLengths: [Int]) -> BitWriter {
        var writer = BitWriter()
        writer.write(1, bits: 1)
        writer.write(2, bits: 2)
        writer.write(literals - 257, bits: 5)
        writer.write(distances - 1, bits: 5)
        writer.write(codeLengthLengths.count - 4, bits: 4)
        for length in codeLengthLengths { writer.write(length, bits: 3) }
        return writer
    }

    @Test("bad Huffman code lengths in a dynamic block are refused")
    func badCodeLengths() {
        func refuse(_ writer: BitWriter, _ reason: String) {
            #expect(throws: InflateError.malformed(reason)) { try Inflate.zlib([0x78, 0x01] + writer.bytes + [0, 0, 0, 0], limit: 1000) }
        }
        refuse(dynamicHeader(codeLengthLengths: [Int](repeating: 1, count: 19)), "over-subscribed Huffman code lengths")
        refuse(dynamicHeader(codeLengthLengths: [2, 2, 0, 2]), "incomplete Huffman code lengths")
        refuse(dynamicHeader(literals: 287, codeLengthLengths: [1, 1, 0, 0]), "a dynamic block declares too many length or distance codes")
        refuse(dynamicHeader(distances: 31, codeLengthLengths: [1, 1, 0, 0]), "a dynamic block declares too many length or distance codes")
        // Code-length code {16: "0", 0: "10", 8: "11"} (order 16, 17, 18, 0, 8).
        var repeatFirst = dynamicHeader(codeLengthLengths: [1, 0, 0, 2, 2])
        repeatFirst.writeCode(0, length: 1)
        refuse(repeatFirst, "a code length repeats before the first one")
        var noEnd = dynamicHeader(codeLengthLengths: [1, 0, 0, 2, 2])
        for _ in 0..<256 { noEnd.writeCode(0b11, length: 2) }  // literals 0…255: length 8
        noEnd.writeCode(0b10, length: 2)  // end of block: length 0
        noEnd.writeCode(0b11, length: 2)  // the distance code
        refuse(noEnd, "a dynamic block has no end-of-block code")
        var overrun = dynamicHeader(codeLengthLengths: [1, 0, 0, 2, 2])
        for _ in 0..<257 { overrun.writeCode(0b11, length: 2) }
        overrun.writeCode(0, length: 1)  // repeat 8 three or more times: past the 258 lengths
        overrun.write(0, bits: 2)
        refuse(overrun, "code lengths run past the end of the header")
        // Only the end-of-block symbol has a code, of length 8: an incomplete literal/length code.
        var incompleteLiterals = dynamicHeader(codeLengthLengths: [1, 0, 0, 2, 2])
        for _ in 0..<256 { incompleteLiterals.writeCode(0b10, length: 2) }
        incompleteLiterals.writeCode(0b11, length: 2)
        incompleteLiterals.writeCode(0b11, length: 2)
        refuse(incompleteLiterals, "incomplete Huffman code lengths")
    }

    @Test("a bad Adler-32 is refused; bytes after the stream are ignored")
    func adler() throws {
        let stream = [UInt8](try Data(contentsOf: Self.zlibFolder.appendingPathComponent("data-level9.zz")))
        var bad = stream
        bad[bad.count - 2] ^= 1
        #expect(throws: InflateError.badChecksum) { try Inflate.zlib(bad, limit: 1 << 16) }
        #expect(try Inflate.zlib(stream + [1, 2, 3], limit: 1 << 16) == (try Inflate.zlib(stream, limit: 1 << 16)))
    }
}
