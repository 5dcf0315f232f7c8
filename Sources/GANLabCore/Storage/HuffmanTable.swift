/// A canonical Huffman code (RFC 1951 §3.2.2) as lookup tables for DEFLATE's least-significant-bit
/// first stream.
///
/// Codes of at most `fastBits` bits are decoded by one look-up: `fast` is indexed by the next
/// `fastBits` stream bits and holds the symbol and its code length for every index whose low bits
/// start with that code (a code of length L fills 2^(fastBits − L) entries). Longer codes, rare in
/// practice, fall back to the canonical walk of Mark Adler's `puff.c`: per length, the codes are
/// consecutive integers, so `count[len]` and the symbols sorted by code identify them. A table is
/// rebuilt in place for every dynamic block, so a stream of thousands of blocks allocates nothing
/// per block.
final class HuffmanTable {
    /// What the code encodes, which decides whether an incomplete code is acceptable.
    enum Kind {
        /// The code-length alphabet of a dynamic block header: must be complete.
        case codeLengths
        /// Literal/length or distance symbols: complete, or (as zlib allows) a single code of length
        /// one; a distance code may also be empty when a block holds only literals.
        case symbols
    }

    /// Bits resolved by one look-up.
    static let fastBits = 10
    /// The mask selecting the look-up index from the bit buffer.
    static var fastMask: UInt64 { (1 << UInt64(fastBits)) - 1 }
    /// The longest DEFLATE code.
    static let maximumLength = 15

    /// `symbol | length << 9` for each value of the next `fastBits` bits; 0 where the code is longer
    /// (or unused, for an incomplete code).
    let fast: UnsafeMutablePointer<UInt16>
    /// The number of codes of each length 0…15.
    private let counts: UnsafeMutablePointer<Int>
    /// The symbols in code order (by length, then by symbol value).
    private let symbols: UnsafeMutablePointer<UInt16>
    /// The largest alphabet this table can hold.
    private let capacity: Int

    /// An empty table for alphabets of up to `capacity` symbols.
    init(capacity: Int) {
        self.capacity = capacity
        fast = .allocate(capacity: 1 << Self.fastBits)
        fast.initialize(repeating: 0, count: 1 << Self.fastBits)
        counts = .allocate(capacity: Self.maximumLength + 1)
        counts.initialize(repeating: 0, count: Self.maximumLength + 1)
        symbols = .allocate(capacity: capacity)
        symbols.initialize(repeating: 0, count: capacity)
    }

    deinit {
        fast.deallocate()
        counts.deallocate()
        symbols.deallocate()
    }

    /// Rebuilds the table from the code length of each symbol (0: symbol unused).
    func build(lengths: ArraySlice<UInt8>, kind: Kind) throws(InflateError) {
        precondition(lengths.count <= capacity, "alphabet larger than the table")
        counts.update(repeating: 0, count: Self.maximumLength + 1)
        for length in lengths {
            guard Int(length) <= Self.maximumLength else { throw .malformed("a code length is over 15") }
            counts[Int(length)] += 1
        }
        // Kraft: each length doubles the codes available; more codes than room is over-subscribed.
        var left = 1
        for length in 1...Self.maximumLength {
            left = left << 1 - counts[length]
            guard left >= 0 else { throw .malformed("over-subscribed Huffman code lengths") }
        }
        let used = lengths.count - counts[0]
        if left > 0 {
            let acceptable = kind == .symbols && (used == 0 || (used == 1 && counts[1] == 1))
            guard acceptable else { throw .malformed("incomplete Huffman code lengths") }
        }
        sortSymbols(lengths)
        fillFastTable()
    }

    /// Writes the used symbols into `symbols` in code order.
    private func sortSymbols(_ lengths: ArraySlice<UInt8>) {
        var offsets = [Int](repeating: 0, count: Self.maximumLength + 2)
        for length in 1...Self.maximumLength { offsets[length + 1] = offsets[length] + counts[length] }
        for (symbol, length) in lengths.enumerated() where length != 0 {
            symbols[offsets[Int(length)]] = UInt16(symbol)
            offsets[Int(length)] += 1
        }
    }

    /// Fills `fast` from the sorted symbols: canonical codes are assigned in that order, and each
    /// code is bit-reversed because the stream delivers a code's first bit lowest.
    private func fillFastTable() {
        let size = 1 << Self.fastBits
        fast.update(repeating: 0, count: size)
        var code = 0, index = 0
        for length in 1...Self.fastBits {
            for _ in 0..<counts[length] {
                let entry = symbols[index] | UInt16(length) << 9
                var slot = Self.reversed(code, length)
                while slot < size {
                    fast[slot] = entry
                    slot += 1 << length
                }
                code += 1
                index += 1
            }
            code <<= 1
        }
    }

    /// The low `length` bits of `code` in reverse order.
    private static func reversed(_ code: Int, _ length: Int) -> Int {
        var result = 0, code = code
        for _ in 0..<length {
            result = result << 1 | code & 1
            code >>= 1
        }
        return result
    }

    /// Decodes one symbol of a code longer than `fastBits` (or an unused bit pattern) from the
    /// low bits of `bits`, of which `available` are real stream bits; returns the symbol and its
    /// code length.
    func decodeSlowly(_ bits: UInt64, available: Int) throws(InflateError) -> (symbol: Int, length: Int) {
        var code = 0, first = 0, index = 0
        for length in 1...Self.maximumLength {
            guard length <= available else { throw .truncated }
            code |= Int(truncatingIfNeeded: bits >> UInt64(length - 1)) & 1
            let count = counts[length]
            if code - first < count { return (Int(symbols[index + code - first]), length) }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        throw .malformed("invalid Huffman code")
    }
}
