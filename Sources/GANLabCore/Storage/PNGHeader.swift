/// The IHDR chunk of a PNG file (PNG specification §11.2.2), checked against what
/// `PNGDecoder` supports.
struct PNGHeader: Equatable {
    /// How pixels are stored: the PNG colour types.
    enum ColourType: UInt8 {
        case grey = 0
        case rgb = 2
        case palette = 3
        case greyAlpha = 4
        case rgba = 6

        /// Samples per pixel.
        var channels: Int {
            switch self {
            case .grey, .palette: 1
            case .greyAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }

        /// The bit depths the specification allows for this colour type.
        var allowedBitDepths: [Int] {
            switch self {
            case .grey: [1, 2, 4, 8, 16]
            case .palette: [1, 2, 4, 8]
            case .rgb, .greyAlpha, .rgba: [8, 16]
            }
        }
    }

    /// Pixels per row.
    let width: Int
    /// Rows.
    let height: Int
    /// Bits per sample (per palette index for palette pictures).
    let bitDepth: Int
    /// How pixels are stored.
    let colourType: ColourType

    /// Bits per pixel.
    var bitsPerPixel: Int { bitDepth * colourType.channels }
    /// Bytes per row of pixels, without the filter-type byte.
    var rowBytes: Int { (width * bitsPerPixel + 7) / 8 }
    /// The distance in bytes a filter looks left: one pixel, or one byte for depths below 8.
    var filterStep: Int { max(1, bitsPerPixel / 8) }
    /// The size of the inflated image data: each row is a filter-type byte and the row's bytes.
    var inflatedSize: Int { height * (1 + rowBytes) }

    /// Parses and checks the 13 bytes of an IHDR chunk; the size limit is checked first of all, so
    /// an enormous header is refused before anything is allocated for it.
    init(_ data: ArraySlice<UInt8>, maximumSide: Int) throws(PNGDecodeError) {
        guard data.count == 13 else { throw PNGDecodeError("the IHDR chunk is \(data.count) bytes long instead of 13") }
        let bytes = Array(data)
        let width = Int(PNGHeader.bigEndian(bytes, at: 0)), height = Int(PNGHeader.bigEndian(bytes, at: 4))
        guard width <= maximumSide, height <= maximumSide else {
            throw PNGDecodeError(
                "the picture is \(width) × \(height) pixels, larger than the \(maximumSide) × \(maximumSide) limit")
        }
        guard width > 0, height > 0 else {
            throw PNGDecodeError("the picture is \(width) × \(height) pixels; width and height must be at least 1")
        }
        guard let colourType = ColourType(rawValue: bytes[9]) else {
            throw PNGDecodeError("unknown colour type \(bytes[9]) (PNG defines 0, 2, 3, 4 and 6)")
        }
        let bitDepth = Int(bytes[8])
        guard colourType.allowedBitDepths.contains(bitDepth) else {
            throw PNGDecodeError("bit depth \(bitDepth) is not allowed for colour type \(colourType.rawValue)")
        }
        guard bytes[10] == 0 else { throw PNGDecodeError("unknown compression method \(bytes[10])") }
        guard bytes[11] == 0 else { throw PNGDecodeError("unknown filter method \(bytes[11])") }
        guard bytes[12] != 1 else {
            throw PNGDecodeError("interlaced PNGs are not supported; save the picture without interlacing")
        }
        guard bytes[12] == 0 else { throw PNGDecodeError("unknown interlace method \(bytes[12])") }
        self.width = width
        self.height = height
        self.bitDepth = bitDepth
        self.colourType = colourType
    }

    /// The big-endian 32-bit number at `offset` (the caller checks that four bytes are there).
    static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }
}
