// MARK: - Filters

extension PNGDecoder {
    /// Undoes the scanline filters in place (PNG specification §9.2). Each row of `data` is a
    /// filter-type byte followed by the row's bytes; a filter predicts each byte from the byte one
    /// pixel to the left (a), the byte above (b) and the byte above-left (c), all 0 outside the
    /// picture, and the row stores the difference modulo 256.
    static func unfilter(_ data: inout [UInt8], header: PNGHeader) throws(PNGDecodeError) {
        let stride = header.rowBytes + 1
        for row in 0..<header.height where data[row * stride] > 4 {
            throw PNGDecodeError("row \(row + 1) from the top has filter type \(data[row * stride]); PNG defines 0 to 4")
        }
        let zeros = [UInt8](repeating: 0, count: header.rowBytes)
        data.withUnsafeMutableBufferPointer { buffer in
            zeros.withUnsafeBufferPointer { zeroRow in
                guard let base = buffer.baseAddress, let zero = zeroRow.baseAddress else { return }
                for row in 0..<header.height {
                    let line = base + row * stride + 1
                    let above = row == 0 ? zero : UnsafePointer(line - stride)
                    unfilterRow(line, above: above, type: line[-1], count: header.rowBytes, step: header.filterStep)
                }
            }
        }
    }

    /// Undoes one row's filter; `step` (≤ `count`) is the distance to the byte one pixel left.
    private static func unfilterRow(
        _ line: UnsafeMutablePointer<UInt8>, above: UnsafePointer<UInt8>, type: UInt8, count: Int, step: Int
    ) {
        switch type {
        case 1:  // Sub: a
            for i in step..<count { line[i] &+= line[i - step] }
        case 2:  // Up: b
            for i in 0..<count { line[i] &+= above[i] }
        case 3:  // Average: ⌊(a + b) / 2⌋
            for i in 0..<step { line[i] &+= above[i] >> 1 }
            for i in step..<count { line[i] &+= UInt8((UInt16(line[i - step]) + UInt16(above[i])) >> 1) }
        case 4:  // Paeth: whichever of a, b, c is nearest a + b − c (ties in that order)
            for i in 0..<step { line[i] &+= above[i] }
            for i in step..<count { line[i] &+= paeth(line[i - step], above[i], above[i - step]) }
        default:  // None
            break
        }
    }

    /// Alan Paeth's predictor (PNG specification §9.4).
    @inline(__always)
    private static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let a16 = Int16(a), b16 = Int16(b), c16 = Int16(c)
        let pa = abs(b16 - c16), pb = abs(a16 - c16), pc = abs(a16 + b16 - 2 * c16)
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }
}

// MARK: - Samples to grey and opacity

extension PNGDecoder {
    /// Converts unfiltered rows to grey levels and opacities.
    static func picture(from data: [UInt8], header: PNGHeader, colours: PNGColours) throws(PNGDecodeError) -> DecodedPicture {
        let pixels = header.width * header.height
        var gray = [Float](repeating: 0, count: pixels), alpha = [Float](repeating: 1, count: pixels)
        // Every sample value's level in [0, 1]: value / (2^depth − 1), divided (not multiplied by
        // the reciprocal) so that the largest value gives exactly 1.
        let maximum = (1 << header.bitDepth) - 1
        let levels = (0...maximum).map { Float($0) / Float(maximum) }
        var badIndex: Int?
        data.withUnsafeBufferPointer { bytes in
            levels.withUnsafeBufferPointer { levels in
                gray.withUnsafeMutableBufferPointer { gray in
                    alpha.withUnsafeMutableBufferPointer { alpha in
                        let rows = SampleRows(
                            bytes: bytes, header: header, levels: levels, colours: colours, gray: gray, alpha: alpha)
                        badIndex = rows.convert()
                    }
                }
            }
        }
        if let badIndex {
            throw PNGDecodeError("a pixel uses palette entry \(badIndex), but the palette has only \(colours.paletteCount) entries")
        }
        return DecodedPicture(width: header.width, height: header.height, gray: gray, alpha: alpha)
    }
}

/// The unfiltered rows of a picture and the buffers their pixels are converted into.
private struct SampleRows {
    let bytes: UnsafeBufferPointer<UInt8>
    let header: PNGHeader
    let levels: UnsafeBufferPointer<Float>
    let colours: PNGColours
    let gray: UnsafeMutableBufferPointer<Float>
    let alpha: UnsafeMutableBufferPointer<Float>

    /// The sample at `index` in a row (big-endian 16-bit, bytes, or packed most significant first).
    @inline(__always)
    private func sample(_ row: UnsafePointer<UInt8>, _ index: Int) -> Int {
        switch header.bitDepth {
        case 8: return Int(row[index])
        case 16: return Int(row[2 * index]) << 8 | Int(row[2 * index + 1])
        default:
            let depth = header.bitDepth, bit = index * depth
            return Int(row[bit >> 3] >> UInt8(8 - depth - (bit & 7))) & ((1 << depth) - 1)
        }
    }

    /// Fills `gray` and `alpha` row by row; returns the first palette index past the palette, or nil.
    func convert() -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let width = header.width, stride = header.rowBytes + 1
        let key = colours.transparentKey ?? [-1, -1, -1]
        for y in 0..<header.height {
            let row = base + y * stride + 1, first = y * width
            switch header.colourType {
            case .grey:
                for x in 0..<width {
                    let v = sample(row, x)
                    gray[first + x] = levels[v]
                    if v == key[0] { alpha[first + x] = 0 }
                }
            case .greyAlpha:
                for x in 0..<width {
                    gray[first + x] = levels[sample(row, 2 * x)]
                    alpha[first + x] = levels[sample(row, 2 * x + 1)]
                }
            case .rgb:
                for x in 0..<width {
                    let r = sample(row, 3 * x), g = sample(row, 3 * x + 1), b = sample(row, 3 * x + 2)
                    gray[first + x] = PNGColours.luminance(levels[r], levels[g], levels[b])
                    if r == key[0] && g == key[1] && b == key[2] { alpha[first + x] = 0 }
                }
            case .rgba:
                for x in 0..<width {
                    let r = sample(row, 4 * x), g = sample(row, 4 * x + 1), b = sample(row, 4 * x + 2)
                    gray[first + x] = PNGColours.luminance(levels[r], levels[g], levels[b])
                    alpha[first + x] = levels[sample(row, 4 * x + 3)]
                }
            case .palette:
                for x in 0..<width {
                    let index = sample(row, x)
                    guard index < colours.paletteCount else { return index }
                    gray[first + x] = colours.paletteGray[index]
                    alpha[first + x] = colours.paletteAlpha[index]
                }
            }
        }
        return nil
    }
}
