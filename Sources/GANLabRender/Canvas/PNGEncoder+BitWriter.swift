extension PNGEncoder {
    /// Writes deflate's LSB-first bit stream with the fixed Huffman code (RFC 1951 §3.2.6).
    struct BitWriter {
        private var bytes: [UInt8]
        private var count = 0
        private var buffer: UInt64 = 0
        private var filled = 0

        init(capacity: Int) {
            bytes = [UInt8](repeating: 0, count: capacity)
        }

        /// Appends the low `bits` bits of `value`, least significant first.
        @inline(__always)
        mutating func write(_ value: UInt64, _ bits: Int) {
            buffer |= value << UInt64(filled)
            filled += bits
            if filled >= 32 {
                if count + 4 > bytes.count { bytes += [UInt8](repeating: 0, count: bytes.count / 2 + 8) }
                bytes[count] = UInt8(truncatingIfNeeded: buffer)
                bytes[count + 1] = UInt8(truncatingIfNeeded: buffer >> 8)
                bytes[count + 2] = UInt8(truncatingIfNeeded: buffer >> 16)
                bytes[count + 3] = UInt8(truncatingIfNeeded: buffer >> 24)
                count += 4
                buffer >>= 32
                filled -= 32
            }
        }

        /// Appends a literal/length symbol (0…285) with its fixed Huffman code.
        @inline(__always)
        mutating func writeSymbol(_ symbol: Int) {
            let code = Tables.shared.literalCodes[symbol]
            write(UInt64(code.bits), Int(code.length))
        }

        /// Appends a back-reference: length symbol + extra bits, distance code + extra bits.
        @inline(__always)
        mutating func writeMatch(length: Int, distance: Int) {
            let tables = Tables.shared
            let l = tables.lengthSymbols[length]
            writeSymbol(Int(l.symbol))
            if l.extraBits > 0 { write(UInt64(length - Int(l.base)), Int(l.extraBits)) }
            let d = tables.distanceSymbols[distance]
            write(UInt64(d.reversedCode), 5)
            if d.extraBits > 0 { write(UInt64(distance - Int(d.base)), Int(d.extraBits)) }
        }

        /// Pads with zero bits to the next byte boundary.
        mutating func alignToByte() {
            let pad = (8 - filled % 8) % 8
            if pad > 0 { write(0, pad) }
        }

        /// Flushes the remaining whole bytes and returns the stream.
        mutating func finish() -> [UInt8] {
            alignToByte()
            var out = Array(bytes[0..<count])
            while filled > 0 {
                out.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                filled -= 8
            }
            return out
        }
    }

    /// Fixed-code lookup tables, built once.
    struct Tables: Sendable {
        static let shared = Tables()

        /// Bit-reversed fixed Huffman code and its length for each literal/length symbol.
        let literalCodes: [(bits: UInt16, length: UInt8)]
        /// For each match length 0…258: its symbol, base length and extra-bit count.
        let lengthSymbols: [(symbol: UInt16, base: UInt16, extraBits: UInt8)]
        /// For each distance 0…32768: its bit-reversed 5-bit code, base distance and extra-bit count.
        let distanceSymbols: [(reversedCode: UInt8, base: UInt16, extraBits: UInt8)]

        private init() {
            func reversed(_ code: Int, _ length: Int) -> UInt16 {
                var r = 0
                for k in 0..<length where code & (1 << k) != 0 { r |= 1 << (length - 1 - k) }
                return UInt16(r)
            }
            literalCodes = (0..<288).map { s -> (bits: UInt16, length: UInt8) in
                switch s {
                case 0..<144: return (reversed(0x30 + s, 8), 8)
                case 144..<256: return (reversed(0x190 + s - 144, 9), 9)
                case 256..<280: return (reversed(s - 256, 7), 7)
                default: return (reversed(0xC0 + s - 280, 8), 8)
                }
            }
            let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99,
                              115, 131, 163, 195, 227, 258]
            let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
            lengthSymbols = (0...258).map { length in
                let k = max(0, (lengthBase.lastIndex { $0 <= length }) ?? 0)
                return (UInt16(257 + k), UInt16(lengthBase[k]), UInt8(lengthExtra[k]))
            }
            let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
                                1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
            distanceSymbols = (0...32_768).map { distance in
                let k = max(0, (distanceBase.lastIndex { $0 <= distance }) ?? 0)
                return (UInt8(reversed(k, 5)), UInt16(distanceBase[k]), UInt8(k < 4 ? 0 : k / 2 - 1))
            }
        }
    }
}
