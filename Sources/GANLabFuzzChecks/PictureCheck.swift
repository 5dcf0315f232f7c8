import Foundation
import GANLabCore

extension FuzzChecks {
    /// Bytes as a PNG file (`PNGDecoder.decode`, what reading a picture target runs once the file
    /// is read). Every input must end in one of two ways:
    ///   - a picture of 1…4096 × 1…4096 pixels whose `gray` and `alpha` hold width × height values,
    ///     all in [0, 1]; or
    ///   - a `PNGDecodeError` whose message is one non-empty line.
    ///
    /// A CRC-32 guards every chunk and an Adler-32 the image data, and random mutations almost never
    /// keep them valid, so each input is decoded twice: as given, and with the checksums patched to
    /// match (`withValidPictureChecksums`). The second pass reaches the header checks, the inflater,
    /// the filters and the pixel conversion behind the checksums. Returns what went wrong, or nil.
    public static func picture(_ data: Data) -> String? {
        let bytes = [UInt8](data)
        if let finding = decodePicture(bytes) { return finding }
        if let patched = withValidPictureChecksums(bytes), let finding = decodePicture(patched) {
            return "checksums patched: " + finding
        }
        return nil
    }

    /// Decodes picture bytes and checks what a reader may rely on.
    private static func decodePicture(_ bytes: [UInt8]) -> String? {
        let picture: DecodedPicture
        do throws(PNGDecodeError) {
            picture = try PNGDecoder.decode(bytes)
        } catch {
            if error.message.isEmpty { return "an empty error message" }
            if error.message.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
                return "the message spans several lines: \(error.message.debugDescription)"
            }
            return nil
        }
        let side = 1...PNGDecoder.maximumSide
        guard side.contains(picture.width), side.contains(picture.height) else {
            return "a decoded picture is \(picture.width) × \(picture.height) pixels"
        }
        let pixels = picture.width * picture.height
        guard picture.gray.count == pixels, picture.alpha.count == pixels else {
            return "a \(picture.width) × \(picture.height) picture has \(picture.gray.count) grey and \(picture.alpha.count) alpha values"
        }
        let outside = { (value: Float) in !(0...1).contains(value) }
        if let bad = picture.gray.first(where: outside) ?? picture.alpha.first(where: outside) {
            return "a decoded value \(bad) is outside [0, 1]"
        }
        return nil
    }

    /// The bytes with, when the image data is one IDAT chunk holding a zlib stream of stored
    /// blocks only, its Adler-32 rewritten to match the stored bytes, and then every whole chunk's
    /// CRC-32 rewritten to match; nil when nothing changes.
    static func withValidPictureChecksums(_ bytes: [UInt8]) -> [UInt8]? {
        var patched = bytes
        let chunks = chunkRanges(bytes)
        let idat = chunks.filter { String(decoding: bytes[$0.lowerBound + 4..<$0.lowerBound + 8], as: UTF8.self) == "IDAT" }
        if idat.count == 1, let chunk = idat.first,
           let (content, adlerOffset) = storedContent(bytes[(chunk.lowerBound + 8)..<(chunk.upperBound - 4)]) {
            let adler = Adler32.checksum(content[...])
            for k in 0..<4 { patched[adlerOffset + k] = UInt8(truncatingIfNeeded: adler >> (24 - 8 * k)) }
        }
        for chunk in chunks {
            let crc = CRC32.checksum(patched[(chunk.lowerBound + 4)..<(chunk.upperBound - 4)])
            for k in 0..<4 { patched[chunk.upperBound - 4 + k] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * k)) }
        }
        return patched == bytes ? nil : patched
    }

    /// The byte ranges of the whole chunks after the 8-byte signature (length, type, data, CRC),
    /// up to the first chunk that does not fit.
    private static func chunkRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = [], offset = 8
        while bytes.count - offset >= 12 {
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            guard length <= bytes.count - offset - 12 else { break }
            ranges.append(offset..<offset + 12 + length)
            offset += 12 + length
        }
        return ranges
    }

    /// For a zlib stream made of stored blocks only: the stored bytes and the offset (in the
    /// slice's indices) of the Adler-32 after them; nil for any other stream.
    private static func storedContent(_ stream: ArraySlice<UInt8>) -> ([UInt8], Int)? {
        var offset = stream.startIndex + 2, content: [UInt8] = []
        while true {
            guard stream.endIndex - offset >= 5, stream[offset] & 0b110 == 0 else { return nil }
            let isFinal = stream[offset] & 1 == 1
            let length = Int(stream[offset + 1]) | Int(stream[offset + 2]) << 8
            guard stream.endIndex - offset - 5 >= length else { return nil }
            content += stream[(offset + 5)..<(offset + 5 + length)]
            offset += 5 + length
            if isFinal { break }
        }
        return stream.endIndex - offset >= 4 ? (content, offset) : nil
    }
}
