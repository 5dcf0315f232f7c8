/// What stored samples mean beyond their own values: the palette (PLTE, with opacities from
/// tRNS) of a palette picture, or the one fully transparent sample value (tRNS) of a grey or RGB
/// picture (PNG specification §11.2.3 and §11.3.2.1).
struct PNGColours {
    /// The grey level of each palette entry, 256 entries (those past `paletteCount` unused).
    let paletteGray: [Float]
    /// The opacity of each palette entry, 256 entries (1 past the tRNS entries).
    let paletteAlpha: [Float]
    /// The number of palette entries; an index at or past it is an error.
    let paletteCount: Int
    /// The sample values (one for grey, R, G, B for RGB) of the fully transparent colour.
    let transparentKey: [Int]?

    /// Reads and checks the PLTE and tRNS chunks against the header. A PLTE chunk in a picture
    /// that is not a palette picture is only a suggestion for display and is ignored, as is a
    /// tRNS chunk in a picture with an alpha channel (which the specification forbids).
    init(chunks: PNGChunks) throws(PNGDecodeError) {
        var gray = [Float](repeating: 0, count: 256), alpha = [Float](repeating: 1, count: 256)
        var count = 0, key: [Int]?
        let transparency = chunks.transparency.map(Array.init)
        switch chunks.header.colourType {
        case .palette:
            guard let palette = chunks.palette.map(Array.init) else {
                throw PNGDecodeError("a palette picture (colour type 3) has no PLTE chunk")
            }
            guard palette.count % 3 == 0, (3...768).contains(palette.count) else {
                throw PNGDecodeError("the PLTE chunk is \(palette.count) bytes long; it must hold 1 to 256 RGB entries")
            }
            count = palette.count / 3
            for entry in 0..<count {
                gray[entry] = PNGColours.luminance(
                    Float(palette[3 * entry]) / 255, Float(palette[3 * entry + 1]) / 255, Float(palette[3 * entry + 2]) / 255)
            }
            if let transparency {
                guard transparency.count <= count else {
                    throw PNGDecodeError("the tRNS chunk has \(transparency.count) entries but the palette only \(count)")
                }
                for (entry, opacity) in transparency.enumerated() { alpha[entry] = Float(opacity) / 255 }
            }
        case .grey, .rgb:
            if let transparency {
                let samples = chunks.header.colourType.channels
                guard transparency.count == 2 * samples else {
                    throw PNGDecodeError(
                        "the tRNS chunk is \(transparency.count) bytes long instead of \(2 * samples) for this colour type")
                }
                key = (0..<samples).map { Int(transparency[2 * $0]) << 8 | Int(transparency[2 * $0 + 1]) }
            }
        case .greyAlpha, .rgba:
            break
        }
        paletteGray = gray
        paletteAlpha = alpha
        paletteCount = count
        transparentKey = key
    }

    /// Rec. 709 luminance of stored R, G, B levels in [0, 1], clamped to 1 against rounding (the
    /// weights sum to 1, their Float values to slightly more).
    @inline(__always)
    static func luminance(_ red: Float, _ green: Float, _ blue: Float) -> Float {
        min(1, 0.2126 * red + 0.7152 * green + 0.0722 * blue)
    }
}
