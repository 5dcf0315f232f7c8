/// A decoded picture: grey level and opacity of every pixel, row-major, top row first.
public struct DecodedPicture: Sendable, Equatable {
    /// Pixels per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Luminance in [0, 1] (0 black, 1 white): colour pixels converted with Rec. 709 weights
    /// (0.2126 R + 0.7152 G + 0.0722 B) on the stored (gamma-encoded) values; palette entries
    /// looked up.
    public let gray: [Float]
    /// Opacity in [0, 1] (1 when the image has no alpha channel and no tRNS chunk; tRNS honoured
    /// for palette, grey and RGB).
    public let alpha: [Float]
}

/// Why bytes are not a usable PNG: one line of plain English without the file path (the caller
/// prefixes "FILE: ").
public struct PNGDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reason, e.g. "bad zlib checksum".
    public let message: String
    /// The reason.
    public var description: String { message }

    /// An error with the given reason.
    public init(_ message: String) { self.message = message }
}

/// Reads PNG files (ISO/IEC 15948) into grey levels and opacities, in pure Swift.
///
/// Supports colour types 0 (grey), 2 (RGB), 3 (palette), 4 (grey + alpha) and 6 (RGBA) at every
/// bit depth the specification allows for them, the five scanline filters, image data split over
/// several IDAT chunks and the tRNS chunk; other ancillary chunks are skipped (gamma and colour
/// profiles included, so values are the stored ones). Every chunk's CRC-32 and the zlib stream's
/// Adler-32 are checked. Interlaced (Adam7) files are refused. Any malformed input ends in a
/// `PNGDecodeError`; the header's size limit is checked before any image data is inflated, and the
/// inflater stops at the size the header implies.
public enum PNGDecoder {
    /// The largest width or height accepted.
    public static let maximumSide = 4096

    /// The eight bytes every PNG file starts with.
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Decodes a whole PNG file's bytes.
    public static func decode(_ bytes: [UInt8]) throws(PNGDecodeError) -> DecodedPicture {
        guard bytes.starts(with: signature) else {
            throw PNGDecodeError("not a PNG file (it does not start with the PNG signature)")
        }
        let chunks = try PNGChunks(bytes, maximumSide: maximumSide)
        let header = chunks.header
        let colours = try PNGColours(chunks: chunks)
        var data: [UInt8]
        do throws(InflateError) {
            data = try Inflate.zlib(chunks.imageData, limit: header.inflatedSize)
        } catch {
            throw PNGDecodeError(inflating: error, header: header)
        }
        guard data.count == header.inflatedSize else {
            throw PNGDecodeError(
                "truncated: the IDAT data holds \(data.count) of the \(header.inflatedSize) bytes the picture needs")
        }
        try unfilter(&data, header: header)
        return try picture(from: data, header: header, colours: colours)
    }
}

extension PNGDecodeError {
    /// The message for a zlib stream that failed to inflate.
    init(inflating error: InflateError, header: PNGHeader) {
        switch error {
        case .truncated: self.init("truncated: the IDAT data ends early")
        case .badChecksum: self.init("bad zlib checksum")
        case .outputTooLarge:
            self.init("the IDAT data holds more than the \(header.width) × \(header.height) picture needs")
        case .malformed(let detail): self.init("corrupt IDAT data: \(detail)")
        }
    }
}
