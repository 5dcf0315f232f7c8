/// The compressed input of `Inflate`, read least-significant bit first (RFC 1951 §3.1.1).
///
/// Up to 64 bits wait in `bits`, of which the low `count` are unread stream bits. `refill` tops
/// the buffer up to at least 56 bits with one unaligned 8-byte load while 8 input bytes remain
/// (Fabian Giesen's "variant 4": bits above `count` then hold a copy of the next byte's start,
/// which the next load ORs in again unchanged), and byte by byte near the end. Once the input is
/// exhausted the bits above `count` are zero, so a code may be looked up, and reading past the
/// end shows up as a code longer than `count`.
struct BitReader {
    /// The whole compressed input.
    let input: UnsafeRawBufferPointer
    /// The next input byte not yet in `bits`.
    var position: Int
    /// The bit buffer: unread stream bits, lowest first.
    var bits: UInt64 = 0
    /// The number of valid bits in `bits`.
    var count = 0

    /// Tops the bit buffer up to at least 56 bits, or with every remaining input byte.
    @inline(__always)
    mutating func refill() {
        if input.count - position >= 8 && count < 64 {
            let word = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            bits |= word &<< UInt64(count)
            position += (63 - count) >> 3
            count |= 56
        } else {
            while count <= 56 && position < input.count {
                bits |= UInt64(input[position]) &<< UInt64(count)
                position += 1
                count += 8
            }
        }
    }

    /// Removes and returns the next `n` (≤ 32) bits, which must already be in the buffer.
    @inline(__always)
    mutating func take(_ n: Int) throws(InflateError) -> Int {
        guard n <= count else { throw .truncated }
        let value = Int(truncatingIfNeeded: bits & ((1 &<< UInt64(n)) &- 1))
        bits &>>= UInt64(n)
        count -= n
        return value
    }

    /// Refills, then removes and returns the next `n` (≤ 32) bits.
    mutating func read(_ n: Int) throws(InflateError) -> Int {
        refill()
        return try take(n)
    }

    /// Decodes the next symbol with `table` (the buffer should have been refilled).
    @inline(__always)
    mutating func decode(_ table: HuffmanTable) throws(InflateError) -> Int {
        let entry = Int(table.fast[Int(truncatingIfNeeded: bits & HuffmanTable.fastMask)])
        if entry != 0 {
            let length = entry >> 9
            guard length <= count else { throw .truncated }
            bits &>>= UInt64(length)
            count -= length
            return entry & 0x1FF
        }
        let (symbol, length) = try table.decodeSlowly(bits, available: count)
        bits &>>= UInt64(length)
        count -= length
        return symbol
    }

    /// Drops the bits up to the next byte boundary and hands the buffered whole bytes back to the
    /// input, so that `position` is the next unread byte.
    mutating func alignToByte() {
        count -= count & 7
        position -= count >> 3
        bits = 0
        count = 0
    }
}

/// The inflated bytes so far, in a buffer that grows by doubling up to a hard limit.
///
/// DEFLATE's matches copy from up to 32 KiB back in the output, so the whole output is the
/// window. Growing on demand keeps memory proportional to what the input really produces: a
/// hostile stream that only claims a large size costs nothing until it delivers.
struct OutputBuffer {
    /// The bytes; the first `count` are written.
    private(set) var base: UnsafeMutablePointer<UInt8>
    /// The number of bytes written.
    private(set) var count = 0
    /// The allocated size.
    private var capacity: Int
    /// The most bytes the output may hold.
    let limit: Int

    /// An empty buffer with room for `initialCapacity` bytes (at most `limit`).
    init(initialCapacity: Int, limit: Int) {
        capacity = max(0, min(initialCapacity, limit))
        base = .allocate(capacity: max(1, capacity))
        self.limit = limit
    }

    /// Frees the buffer.
    func deallocate() { base.deallocate() }

    /// The written bytes as an array.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// The written bytes, for checksumming.
    var written: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Makes room for `n` more bytes, or throws when they would pass the limit.
    @inline(__always)
    mutating func reserve(_ n: Int) throws(InflateError) {
        if n > capacity - count { try grow(n) }
    }

    /// Moves the bytes to a buffer at least twice as large with room for `n` more bytes.
    private mutating func grow(_ n: Int) throws(InflateError) {
        guard n <= limit - count else { throw .outputTooLarge(limit: limit) }
        let needed = count + n
        let larger = capacity > limit / 2 ? limit : max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    /// Appends one byte.
    @inline(__always)
    mutating func append(_ byte: UInt8) throws(InflateError) {
        try reserve(1)
        base[count] = byte
        count += 1
    }

    /// Appends `n` bytes copied from `source`.
    mutating func append(_ source: UnsafeRawBufferPointer) throws(InflateError) {
        try reserve(source.count)
        if let start = source.baseAddress {
            (base + count).update(from: start.assumingMemoryBound(to: UInt8.self), count: source.count)
        }
        count += source.count
    }

    /// Appends `length` bytes copied from `distance` bytes back (RFC 1951 §3.2.3); the copy may
    /// overlap what it writes, which repeats the last `distance` bytes.
    @inline(__always)
    mutating func appendMatch(distance: Int, length: Int) throws(InflateError) {
        guard distance <= count else { throw .malformed("a match reaches back before the start of the data") }
        try reserve(length)
        let to = base + count, from = to - distance
        if distance >= length {
            to.update(from: from, count: length)
        } else {
            for index in 0..<length { to[index] = from[index] }
        }
        count += length
    }
}
