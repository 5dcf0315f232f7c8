/// A fast PNG encoder for rendered frames (Cairo's libpng path takes ~50 ms for 800×800).
///
/// Output is standard PNG (RFC 2083 / ISO 15948): 8-bit RGB when every pixel is opaque, RGBA
/// otherwise; every scanline uses the "Up" filter; the zlib stream (RFC 1950) holds one deflate
/// block with the fixed Huffman codes (RFC 1951 §3.2.6) and greedy LZ77 matches found with a
/// single-probe hash table plus a run check at distance 1. Mostly-white plots compress to a few
/// hundred kB in a few milliseconds; Cairo's encoder remains available for smaller files.
enum PNGEncoder {
    /// Encodes premultiplied native-endian ARGB32 rows (`stride` bytes apart) as a PNG file.
    static func encode(argb base: UnsafeRawPointer, width: Int, height: Int, stride: Int) -> [UInt8] {
        var opaque = true
        for y in 0..<height where opaque {
            let row = (base + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width where row[x] >> 24 != 0xFF { opaque = false; break }
        }
        let bpp = opaque ? 3 : 4
        let raw = filteredScanlines(base, width: width, height: height, stride: stride, bpp: bpp)
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        appendBigEndian(UInt32(width), to: &header)
        appendBigEndian(UInt32(height), to: &header)
        header += [8, opaque ? 2 : 6, 0, 0, 0]  // bit depth, colour type, deflate, adaptive filters, no interlace
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", zlibCompress(raw), to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    // MARK: - Scanlines

    /// Unpremultiplied RGB(A) scanlines, each prefixed by filter type 2 (Up: byte − byte above).
    private static func filteredScanlines(_ base: UnsafeRawPointer, width: Int, height: Int, stride: Int,
                                          bpp: Int) -> [UInt8] {
        let rowBytes = width * bpp
        var out = [UInt8](repeating: 0, count: height * (rowBytes + 1))
        let rows = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * rowBytes)
        rows.initialize(repeating: 0, count: 2 * rowBytes)
        defer { rows.deallocate() }
        var previous = rows, current = rows + rowBytes
        out.withUnsafeMutableBufferPointer { out in
            guard let outBase = out.baseAddress else { return }
            for y in 0..<height {
                let row = (base + y * stride).assumingMemoryBound(to: UInt32.self)
                for x in 0..<width {
                    let word = row[x]
                    let p = current + x * bpp
                    if word >> 24 == 0xFF {
                        p[0] = UInt8(truncatingIfNeeded: word >> 16)
                        p[1] = UInt8(truncatingIfNeeded: word >> 8)
                        p[2] = UInt8(truncatingIfNeeded: word)
                        if bpp == 4 { p[3] = 0xFF }
                    } else {
                        let pixel = Canvas.unpremultiply(word)
                        p[0] = pixel.red
                        p[1] = pixel.green
                        p[2] = pixel.blue
                        p[3] = pixel.alpha  // bpp is 4 whenever a pixel is not opaque
                    }
                }
                let line = outBase + y * (rowBytes + 1)
                line[0] = 2
                for i in 0..<rowBytes { line[1 + i] = current[i] &- previous[i] }
                swap(&previous, &current)
            }
        }
        return out
    }

    // MARK: - zlib / deflate

    /// zlib stream: header, one fixed-Huffman deflate block, Adler-32 of the input.
    static func zlibCompress(_ data: [UInt8]) -> [UInt8] {
        var writer = BitWriter(capacity: data.count + data.count / 8 + 64)
        writer.write(0x78, 8)  // CMF: deflate, 32 KiB window
        writer.write(0x01, 8)  // FLG: fastest, (0x7801 % 31 == 0)
        writer.write(1, 1)  // BFINAL
        writer.write(1, 2)  // BTYPE = 01, fixed Huffman codes
        data.withUnsafeBufferPointer { deflateSymbols($0, into: &writer) }
        writer.writeSymbol(256)  // end of block
        writer.alignToByte()
        let adler = adler32(data)
        for shift in [24, 16, 8, 0] { writer.write(UInt64((adler >> UInt32(shift)) & 0xFF), 8) }
        return writer.finish()
    }

    private static func deflateSymbols(_ input: UnsafeBufferPointer<UInt8>, into writer: inout BitWriter) {
        let n = input.count
        let hashBits = 15
        var table = [Int32](repeating: -1, count: 1 << hashBits)
        var i = 0
        table.withUnsafeMutableBufferPointer { table in
            while i < n {
                var bestLength = 0, bestDistance = 0
                if i + 3 <= n {
                    let key = UInt32(input[i]) | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2]) << 16
                    let slot = Int((key &* 2_654_435_761) >> UInt32(32 - hashBits))
                    let candidate = Int(table[slot])
                    table[slot] = Int32(i)
                    let limit = min(258, n - i)
                    if i > 0 {
                        bestLength = matchLength(input, i - 1, i, limit)
                        bestDistance = 1
                    }
                    if candidate >= 0, i - candidate <= 32_768, i - candidate > 1 {
                        let length = matchLength(input, candidate, i, limit)
                        if length > bestLength { bestLength = length; bestDistance = i - candidate }
                    }
                }
                if bestLength >= 3 {
                    writer.writeMatch(length: bestLength, distance: bestDistance)
                    i += bestLength
                } else {
                    writer.writeSymbol(Int(input[i]))
                    i += 1
                }
            }
        }
    }

    /// Length of the common prefix of input[from...] and input[to...], at most `limit`;
    /// compares 8 bytes at a time (the first differing byte is the lowest set byte of the XOR).
    @inline(__always)
    private static func matchLength(_ input: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ limit: Int) -> Int {
        guard let base = input.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        var length = 0
        while length + 8 <= limit {
            let a = raw.loadUnaligned(fromByteOffset: from + length, as: UInt64.self)
            let b = raw.loadUnaligned(fromByteOffset: to + length, as: UInt64.self)
            let difference = UInt64(littleEndian: a ^ b)
            if difference != 0 { return length + difference.trailingZeroBitCount / 8 }
            length += 8
        }
        while length < limit, base[from + length] == base[to + length] { length += 1 }
        return length
    }

    // MARK: - Checksums and chunks

    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        data.withUnsafeBufferPointer { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(start + 5552, bytes.count)  // largest run before b can overflow
                for i in start..<end { a &+= UInt32(bytes[i]); b &+= a }
                a %= 65_521
                b %= 65_521
                start = end
            }
        }
        return b << 16 | a
    }

    private static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32<S: Sequence>(_ bytes: S, initial: UInt32 = 0xFFFF_FFFF) -> UInt32 where S.Element == UInt8 {
        var c = initial
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        appendBigEndian(UInt32(data.count), to: &png)
        png += typeBytes
        png += data
        appendBigEndian(crc32(data, initial: crc32(typeBytes)) ^ 0xFFFF_FFFF, to: &png)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
