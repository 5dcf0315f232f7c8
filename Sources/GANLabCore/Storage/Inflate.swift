/// Why a zlib stream cannot be inflated.
enum InflateError: Error, Equatable, CustomStringConvertible {
    /// The input ends before the stream does.
    case truncated
    /// The stream would inflate to more than `limit` bytes.
    case outputTooLarge(limit: Int)
    /// The Adler-32 of the inflated bytes differs from the one the stream stores.
    case badChecksum
    /// The stream breaks a rule of RFC 1950 or 1951; the text says which.
    case malformed(String)

    var description: String {
        switch self {
        case .truncated: "the compressed data ends early"
        case .outputTooLarge(let limit): "the compressed data holds more than \(limit) bytes"
        case .badChecksum: "bad zlib checksum"
        case .malformed(let detail): detail
        }
    }
}

/// A zlib (RFC 1950) and DEFLATE (RFC 1951) decompressor for untrusted input.
///
/// Every malformed stream ends in an `InflateError`: reads stay inside the input, matches inside
/// the output, and the output never passes the caller's limit, so a small hostile stream cannot
/// claim gigabytes. Each loop step consumes input bits, so decoding always terminates. Huffman
/// codes are decoded with `HuffmanTable`'s one-look-up tables and a 64-bit bit buffer refilled to
/// at least 56 bits once per two literals (2 × 15 bits) and twice per match (a length code and its
/// extra bits, then a distance code and its extra bits, each at most 28 bits).
enum Inflate {
    /// The inflated bytes of the zlib stream at the start of `input` (bytes after its Adler-32
    /// trailer are ignored); throws when the stream is malformed, truncated, fails its checksum, or
    /// would inflate to more than `limit` bytes.
    static func zlib(_ input: [UInt8], limit: Int) throws(InflateError) -> [UInt8] {
        precondition(limit >= 0, "negative output limit")
        return try input.withUnsafeBufferPointer { (buffer) throws(InflateError) -> [UInt8] in
            try zlib(UnsafeRawBufferPointer(buffer), limit: limit)
        }
    }

    /// The inflated bytes of the zlib stream at the start of `input`, within `limit` bytes.
    static func zlib(_ input: UnsafeRawBufferPointer, limit: Int) throws(InflateError) -> [UInt8] {
        guard input.count >= 2 else { throw .truncated }
        let method = input[0], flags = input[1]
        guard method & 0x0F == 8 else { throw .malformed("the zlib header names an unknown compression method") }
        guard method >> 4 <= 7 else { throw .malformed("the zlib header names a window larger than 32 KiB") }
        guard (Int(method) << 8 | Int(flags)) % 31 == 0 else { throw .malformed("the zlib header check bits are wrong") }
        guard flags & 0x20 == 0 else { throw .malformed("the zlib stream needs a preset dictionary") }

        // Most streams inflate to a few times their size; the buffer doubles from there.
        let guess = input.count <= limit / 4 ? 4 * input.count : limit
        var output = OutputBuffer(initialCapacity: max(1 << 16, guess), limit: limit)
        defer { output.deallocate() }
        var reader = BitReader(input: input, position: 2)
        try inflateBlocks(&reader, into: &output)

        reader.alignToByte()
        guard input.count - reader.position >= 4 else { throw .truncated }
        var stored: UInt32 = 0
        for offset in 0..<4 { stored = stored << 8 | UInt32(input[reader.position + offset]) }
        var adler = Adler32()
        adler.update(output.written)
        guard adler.value == stored else { throw .badChecksum }
        return output.bytes
    }

    // MARK: - Blocks

    /// Inflates DEFLATE blocks up to and including the one marked final.
    private static func inflateBlocks(_ reader: inout BitReader, into output: inout OutputBuffer) throws(InflateError) {
        let literals = HuffmanTable(capacity: 288), distances = HuffmanTable(capacity: 32)
        var fixedLoaded = false
        var isFinal = false
        while !isFinal {
            let header = try reader.read(3)
            isFinal = header & 1 == 1
            switch header >> 1 {
            case 0:
                try copyStoredBlock(&reader, into: &output)
            case 1:
                if !fixedLoaded {
                    try loadFixedCodes(literals: literals, distances: distances)
                    fixedLoaded = true
                }
                try inflateHuffmanBlock(&reader, literals: literals, distances: distances, into: &output)
            case 2:
                try readDynamicCodes(&reader, literals: literals, distances: distances)
                fixedLoaded = false
                try inflateHuffmanBlock(&reader, literals: literals, distances: distances, into: &output)
            default:
                throw .malformed("a DEFLATE block has the reserved block type 3")
            }
        }
    }

    /// Copies a stored (uncompressed) block (RFC 1951 §3.2.4).
    private static func copyStoredBlock(_ reader: inout BitReader, into output: inout OutputBuffer) throws(InflateError) {
        reader.alignToByte()
        let input = reader.input, start = reader.position
        guard input.count - start >= 4 else { throw .truncated }
        let length = Int(input[start]) | Int(input[start + 1]) << 8
        let complement = Int(input[start + 2]) | Int(input[start + 3]) << 8
        guard length == complement ^ 0xFFFF else { throw .malformed("a stored block's length check fails") }
        guard input.count - start - 4 >= length else { throw .truncated }
        try output.append(UnsafeRawBufferPointer(rebasing: input[(start + 4)..<(start + 4 + length)]))
        reader.position = start + 4 + length
    }

    /// The fixed codes of RFC 1951 §3.2.6.
    private static func loadFixedCodes(literals: HuffmanTable, distances: HuffmanTable) throws(InflateError) {
        var lengths = [UInt8](repeating: 8, count: 288)
        for symbol in 144..<256 { lengths[symbol] = 9 }
        for symbol in 256..<280 { lengths[symbol] = 7 }
        try literals.build(lengths: lengths[...], kind: .symbols)
        try distances.build(lengths: [UInt8](repeating: 5, count: 32)[...], kind: .symbols)
    }

    /// The order in which a dynamic block header lists the code-length code's lengths.
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Reads a dynamic block's header (RFC 1951 §3.2.7) and builds its two codes.
    private static func readDynamicCodes(
        _ reader: inout BitReader, literals: HuffmanTable, distances: HuffmanTable
    ) throws(InflateError) {
        let literalCount = try reader.read(5) + 257
        let distanceCount = try reader.read(5) + 1
        let codeLengthCount = try reader.read(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw .malformed("a dynamic block declares too many length or distance codes")
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount {
            codeLengthLengths[codeLengthOrder[index]] = UInt8(try reader.read(3))
        }
        let codeLengths = HuffmanTable(capacity: 19)
        try codeLengths.build(lengths: codeLengthLengths[...], kind: .codeLengths)

        let total = literalCount + distanceCount
        var lengths = [UInt8](repeating: 0, count: total)
        var index = 0
        while index < total {
            reader.refill()
            let symbol = try reader.decode(codeLengths)
            if symbol < 16 {
                lengths[index] = UInt8(symbol)
                index += 1
                continue
            }
            var repeated: UInt8 = 0, times: Int
            switch symbol {
            case 16:
                guard index > 0 else { throw .malformed("a code length repeats before the first one") }
                repeated = lengths[index - 1]
                times = 3 + (try reader.take(2))
            case 17: times = 3 + (try reader.take(3))
            default: times = 11 + (try reader.take(7))
            }
            guard times <= total - index else { throw .malformed("code lengths run past the end of the header") }
            for offset in 0..<times { lengths[index + offset] = repeated }
            index += times
        }
        guard lengths[256] != 0 else { throw .malformed("a dynamic block has no end-of-block code") }
        try literals.build(lengths: lengths[0..<literalCount], kind: .symbols)
        try distances.build(lengths: lengths[literalCount..<total], kind: .symbols)
    }

    /// Inflates one Huffman-coded block up to its end-of-block symbol.
    private static func inflateHuffmanBlock(
        _ reader: inout BitReader, literals: HuffmanTable, distances: HuffmanTable, into output: inout OutputBuffer
    ) throws(InflateError) {
        while true {
            reader.refill()
            var symbol = try reader.decode(literals)
            if symbol < 256 {
                try output.append(UInt8(truncatingIfNeeded: symbol))
                // A literal uses at most 15 of the 56 refilled bits: try a second one before refilling.
                symbol = try reader.decode(literals)
                if symbol < 256 {
                    try output.append(UInt8(truncatingIfNeeded: symbol))
                    continue
                }
            }
            if symbol == 256 { return }
            // Lengths 3…258 (symbols 257…285): after the first eight, each group of four shares
            // a count of extra bits and doubles the step.
            symbol -= 257
            guard symbol < 29 else { throw .malformed("a block uses an undefined length symbol") }
            let length: Int
            if symbol < 8 {
                length = symbol + 3
            } else if symbol < 28 {
                let extra = (symbol - 4) >> 2
                length = ((4 + (symbol & 3)) << extra) + 3 + (try reader.take(extra))
            } else {
                length = 258
            }
            // Distances 1…32768 (symbols 0…29): after the first four, pairs share a count of extra
            // bits. A literal code, a length code and its extra bits may have used 15 + 15 + 5 of
            // the refilled bits, leaving too few to be sure of the distance's 15 + 13.
            reader.refill()
            let code = try reader.decode(distances)
            guard code < 30 else { throw .malformed("a block uses an undefined distance symbol") }
            let distance: Int
            if code < 4 {
                distance = code + 1
            } else {
                let extra = (code >> 1) - 1
                distance = ((2 + (code & 1)) << extra) + 1 + (try reader.take(extra))
            }
            try output.appendMatch(distance: distance, length: length)
        }
    }
}
