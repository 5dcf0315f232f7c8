/// CRC-32 (IEEE 802.3), the checksum of every PNG chunk and of gzip and zip members.
///
/// Polynomial 0x04C11DB7 (reflected 0xEDB88320), initial value and final XOR 0xFFFFFFFF, as in
/// the PNG specification (ISO/IEC 15948, annex D) and zlib's `crc32`; check value
/// CRC-32("123456789") = 0xCBF43926. A different polynomial from `CRC32C`, which guards ganlab's
/// own files; the same slicing-by-8 kernel (`CRCSlicing`), so a 60 MB picture's chunks are checked
/// in a few tens of milliseconds.
public struct CRC32: Sendable {
    /// Running register (pre-inverted, so the empty message has checksum 0).
    private var register: UInt32 = 0xFFFF_FFFF

    /// An empty checksum, ready for `update`.
    public init() {}

    /// The checksum of all bytes passed to `update` so far.
    public var value: UInt32 { ~register }

    /// Folds `bytes` into the checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        register = CRCSlicing.fold(register, bytes, tables: CRC32.tables)
    }

    /// The checksum of a slice of a byte array (no copy).
    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc = CRC32()
        bytes.withUnsafeBytes { crc.update($0) }
        return crc.value
    }

    /// The checksum of one byte array.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 { checksum(bytes[...]) }

    /// The slicing-by-8 tables of the IEEE polynomial.
    private static let tables = CRCSlicing.tables(reflectedPolynomial: 0xEDB8_8320)
}

/// Adler-32 (RFC 1950 §8.2), the checksum a zlib stream stores of its uncompressed data.
///
/// Two sums modulo 65521 (the largest prime below 2¹⁶): `a` = 1 + Σ bytes, `b` = Σ of the running
/// `a`; the value is `b << 16 | a`. The modulo is taken every 5552 bytes, the longest run for
/// which `b` cannot overflow 32 bits (zlib's NMAX), so the inner loop is two additions per byte.
public struct Adler32: Sendable {
    private var a: UInt32 = 1
    private var b: UInt32 = 0

    /// The checksum of no bytes (value 1), ready for `update`.
    public init() {}

    /// The checksum of all bytes passed to `update` so far.
    public var value: UInt32 { b << 16 | a }

    /// Folds `bytes` into the checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var a = self.a, b = self.b
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + 5552)
            for index in start..<end {
                a &+= UInt32(bytes[index])
                b &+= a
            }
            a %= 65521
            b %= 65521
            start = end
        }
        self.a = a
        self.b = b
    }

    /// The checksum of a slice of a byte array (no copy).
    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var adler = Adler32()
        bytes.withUnsafeBytes { adler.update($0) }
        return adler.value
    }
}
