/// Appends little-endian values to a growing byte array.
///
/// Integers and floats are stored in their little-endian bit patterns; `[Float]` is copied in
/// bulk (one memcpy on little-endian hosts); strings are a `UInt32` byte count and UTF-8 bytes.
/// Array lengths are not written implicitly: a format declares them in its header.
public struct BinaryWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer with room for `capacity` bytes.
    public init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Number of bytes written so far.
    public var count: Int { bytes.count }

    /// Appends one byte.
    public mutating func write(_ value: UInt8) { bytes.append(value) }
    /// Appends 4 bytes, little-endian.
    public mutating func write(_ value: UInt32) { appendRaw(value.littleEndian) }
    /// Appends 8 bytes, little-endian.
    public mutating func write(_ value: UInt64) { appendRaw(value.littleEndian) }
    /// Appends 8 bytes, little-endian two's complement.
    public mutating func write(_ value: Int64) { appendRaw(value.littleEndian) }
    /// Appends the 4-byte IEEE 754 bit pattern, little-endian.
    public mutating func write(_ value: Float) { appendRaw(value.bitPattern.littleEndian) }
    /// Appends the 8-byte IEEE 754 bit pattern, little-endian.
    public mutating func write(_ value: Double) { appendRaw(value.bitPattern.littleEndian) }

    /// Appends raw bytes as they are.
    public mutating func write(bytes raw: UnsafeRawBufferPointer) {
        guard !raw.isEmpty else { return }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: raw.count))
        bytes.withUnsafeMutableBytes { UnsafeMutableRawBufferPointer(rebasing: $0[start...]).copyMemory(from: raw) }
    }

    /// Appends raw bytes as they are.
    public mutating func write(bytes raw: [UInt8]) { bytes.append(contentsOf: raw) }

    /// Appends `values.count` 4-byte floats (no length prefix), in bulk.
    public mutating func write(_ values: UnsafeBufferPointer<Float>) {
        #if _endian(little)
        write(bytes: UnsafeRawBufferPointer(values))
        #else
        for v in values { write(v) }
        #endif
    }

    /// Appends `values.count` 4-byte floats (no length prefix), in bulk.
    public mutating func write(_ values: [Float]) {
        values.withUnsafeBufferPointer { write($0) }
    }

    /// Appends the UTF-8 byte count as `UInt32`, then the bytes.
    public mutating func write(_ string: String) {
        let utf8 = Array(string.utf8)
        precondition(utf8.count <= Int(UInt32.max), "string too long for a UInt32 length")
        write(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// Appends the in-memory representation of a fixed-width, already little-endian value.
    private mutating func appendRaw<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) }
    }
}

/// Reads little-endian values from a byte array, checking every length first.
///
/// Every read first checks that enough bytes remain and otherwise throws
/// `StorageError.truncated` naming `path`; bulk reads never allocate more than the bytes that
/// remain, so a corrupt length cannot trigger a huge allocation or a trap.
public struct BinaryReader: Sendable {
    /// The file the bytes came from, named in errors.
    public let path: String
    /// The whole buffer (reads stay within `offset..<end`).
    private let bytes: [UInt8]
    /// One past the last readable byte.
    private let end: Int
    /// Position of the next read, from the start of `bytes`.
    public private(set) var offset: Int

    /// A reader over `bytes[start..<end]` (the whole array by default).
    public init(_ bytes: [UInt8], path: String, start: Int = 0, end: Int? = nil) {
        let end = min(end ?? bytes.count, bytes.count)
        precondition(start >= 0 && start <= end, "reader range out of bounds")
        self.bytes = bytes
        self.path = path
        self.end = end
        self.offset = start
    }

    /// Bytes left to read.
    public var remaining: Int { end - offset }

    /// Throws `truncated` unless `count` more bytes are available (`badShape` if negative).
    public func require(_ count: Int) throws {
        guard count >= 0 else {
            throw StorageError.badShape(path: path, detail: "a length is negative (\(count))")
        }
        guard count <= remaining else {
            let (expected, overflow) = offset.addingReportingOverflow(count)
            throw StorageError.truncated(path: path, expected: overflow ? Int.max : expected, found: end)
        }
    }

    /// Skips `count` bytes.
    public mutating func skip(_ count: Int) throws {
        try require(count)
        offset += count
    }

    /// Reads one byte.
    public mutating func readUInt8() throws -> UInt8 {
        try require(1)
        defer { offset += 1 }
        return bytes[offset]
    }
    /// Reads a little-endian `UInt32`.
    public mutating func readUInt32() throws -> UInt32 { UInt32(littleEndian: try readRaw()) }
    /// Reads a little-endian `UInt64`.
    public mutating func readUInt64() throws -> UInt64 { UInt64(littleEndian: try readRaw()) }
    /// Reads a little-endian `Int64`.
    public mutating func readInt64() throws -> Int64 { Int64(littleEndian: try readRaw()) }
    /// Reads a 4-byte IEEE 754 float.
    public mutating func readFloat() throws -> Float { Float(bitPattern: try readUInt32()) }
    /// Reads an 8-byte IEEE 754 double.
    public mutating func readDouble() throws -> Double { Double(bitPattern: try readUInt64()) }

    /// Reads `count` raw bytes.
    public mutating func readBytes(count: Int) throws -> [UInt8] {
        try require(count)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Reads `count` 4-byte floats in bulk; `count` is checked against the bytes left first.
    public mutating func readFloats(count: Int) throws -> [Float] {
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: 4)
        try require(overflow ? Int.max : byteCount)
        let start = offset
        offset += count * 4
        return bytes.withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                let source = UnsafeRawBufferPointer(rebasing: raw[start..<start + count * 4])
                #if _endian(little)
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
                #else
                for i in 0..<count {
                    buffer[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(
                        fromByteOffset: 4 * i, as: UInt32.self)))
                }
                #endif
                initialized = count
            }
        }
    }

    /// Reads a `UInt32` byte count and that many UTF-8 bytes; throws on invalid UTF-8.
    public mutating func readString() throws -> String {
        let length = Int(try readUInt32())
        let utf8 = try readBytes(count: length)
        guard let string = String(validating: utf8, as: UTF8.self) else {
            throw StorageError.badContent(path: path, detail: "a string is not valid UTF-8")
        }
        return string
    }

    /// Reads a fixed-width integer in memory order.
    private mutating func readRaw<T: FixedWidthInteger>() throws -> T {
        let size = MemoryLayout<T>.size
        try require(size)
        defer { offset += size }
        let at = offset
        return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: T.self) }
    }
}
