import CCairo
import Foundation

/// How to encode PNG output.
public enum PNGCompression: Sendable {
    /// The lab's own encoder (fixed-Huffman deflate): a few ms per 800×800 frame, larger files.
    case fast
    /// Cairo's libpng encoder: smaller files, about 10× slower; for figures kept in a report.
    case small
}

extension Canvas {
    /// Writes the canvas as a PNG file, checking Cairo's status first.
    public func writePNG(to path: String, compression: PNGCompression = .fast) throws {
        try checkStatus("drawing before writing '\(path)'")
        switch compression {
        case .fast:
            try Self.writeFile(encodeFastPNG(), to: path)
        case .small:
            // Encoded in memory, written by the C library: a failure names the system's reason.
            try Self.writeFile(pngData(compression: .small), to: path)
        }
    }

    /// Encodes the canvas as PNG bytes in memory (e.g. to pipe frames to a video encoder).
    public func pngData(compression: PNGCompression = .fast) throws -> [UInt8] {
        try checkStatus("drawing before encoding a PNG")
        switch compression {
        case .fast:
            return encodeFastPNG()
        case .small:
            final class Sink { var bytes: [UInt8] = [] }
            let sink = Sink()
            let status = cairo_surface_write_to_png_stream(surface, { closure, data, length in
                guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
                let sink = Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue()
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque())
            withExtendedLifetime(sink) {}
            guard status == CAIRO_STATUS_SUCCESS else {
                throw RenderError.cairo(operation: "encoding a PNG in memory", status: Self.describe(status))
            }
            return sink.bytes
        }
    }

    private func encodeFastPNG() -> [UInt8] {
        var bytes: [UInt8] = []
        withPixelBuffer { base, stride in
            bytes = PNGEncoder.encode(argb: UnsafeRawPointer(base), width: width, height: height, stride: stride)
        }
        return bytes
    }

    /// Writes bytes to a file with the C library, so a failure reports the exact system reason.
    private static func writeFile(_ bytes: [UInt8], to path: String) throws {
        guard let file = fopen(path, "wb") else {
            throw RenderError.writeFailed(path: path, status: String(cString: strerror(errno)))
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let failed = written != bytes.count || ferror(file) != 0
        let reason = String(cString: strerror(errno))
        guard fclose(file) == 0, !failed else {
            throw RenderError.writeFailed(path: path, status: failed ? reason : "could not close the file")
        }
    }
}
