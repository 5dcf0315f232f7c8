/// The chunks of a PNG file that matter for decoding, each checked against its CRC-32.
struct PNGChunks {
    /// The checked IHDR chunk.
    let header: PNGHeader
    /// The PLTE chunk's bytes (RGB triples), if any.
    private(set) var palette: ArraySlice<UInt8>?
    /// The tRNS chunk's bytes, if any.
    private(set) var transparency: ArraySlice<UInt8>?
    /// The IDAT chunks' bytes, concatenated: one zlib stream.
    private(set) var imageData: [UInt8] = []

    /// Walks the chunks after the signature up to IEND. The first must be IHDR, whose size limit
    /// is checked before the rest of the file is looked at.
    init(_ bytes: [UInt8], maximumSide: Int) throws(PNGDecodeError) {
        var offset = PNGDecoder.signature.count
        var header: PNGHeader?
        while true {
            guard bytes.count - offset >= 8 else { throw PNGDecodeError("truncated: the file ends before the IEND chunk") }
            let length = Int(PNGHeader.bigEndian(bytes, at: offset))
            let typeBytes = bytes[(offset + 4)..<(offset + 8)]
            guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                throw PNGDecodeError("a chunk type is not four ASCII letters")
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            guard length <= 0x7FFF_FFFF, bytes.count - offset - 12 >= length else {
                throw PNGDecodeError(type == "IDAT" ? "truncated: the IDAT data ends early" : "truncated: the \(type) chunk ends early")
            }
            let data = bytes[(offset + 8)..<(offset + 8 + length)]
            let stored = PNGHeader.bigEndian(bytes, at: offset + 8 + length)
            guard CRC32.checksum(bytes[(offset + 4)..<(offset + 8 + length)]) == stored else {
                throw PNGDecodeError("bad CRC in the \(type) chunk")
            }
            offset += 12 + length
            if header == nil && type != "IHDR" { throw PNGDecodeError("the first chunk is \(type) instead of IHDR") }
            switch type {
            case "IHDR":
                guard header == nil else { throw PNGDecodeError("the file has two IHDR chunks") }
                header = try PNGHeader(data, maximumSide: maximumSide)
            case "PLTE": palette = data
            case "tRNS": transparency = data
            case "IDAT": imageData.append(contentsOf: data)
            case "IEND":
                guard let header else { throw PNGDecodeError("the first chunk is IEND instead of IHDR") }
                guard !imageData.isEmpty else { throw PNGDecodeError("the file has no IDAT chunk") }
                self.header = header
                return
            default:
                // Bit 5 of the first letter clear (upper case): a critical chunk, which must not be skipped.
                guard typeBytes.first.map({ $0 & 0x20 != 0 }) ?? false else {
                    throw PNGDecodeError("unknown critical chunk \(type)")
                }
            }
        }
    }
}
