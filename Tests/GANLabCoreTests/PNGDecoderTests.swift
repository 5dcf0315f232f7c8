import Foundation
import GANLabTestSupport
import Testing

@testable import GANLabCore
@testable import GANLabFuzzChecks

/// The PNG decoder against the fixtures of Tests/Fixtures/png (written by make-fixtures.py there,
/// with the expected pixels beside each good picture), against hostile mutations of them, and its
/// inflater against zlib's own streams and hand-made broken ones (PNGDecoderTests+Inflate.swift).
@Suite("PNG decoder")
struct PNGDecoderTests {
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/png")

    /// The names (without extension) of the good pictures: those with expected values beside them.
    static let goodPictures: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }()

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    /// The decoded values make-fixtures.py computed.
    struct Expected: Decodable {
        let width: Int
        let height: Int
        let gray: [Float]
        let alpha: [Float]
    }

    // MARK: - Good pictures

    @Test("the fixtures cover every colour type, bit depth and filter")
    func fixturesCoverTheFormat() {
        #expect(Self.goodPictures.count >= 30)
        for name in ["grey-1", "grey-2", "grey-4", "grey-8", "grey-16", "rgb-8", "rgb-16", "palette-1", "palette-2",
                     "palette-4", "palette-8", "grey-alpha-8", "grey-alpha-16", "rgba-8", "rgba-16", "palette-8-trns",
                     "grey-4-trns", "grey-16-trns", "rgb-8-trns", "multiple-idat", "stored", "filter-none", "filter-sub",
                     "filter-up", "filter-average", "filter-paeth"] {
            #expect(Self.goodPictures.contains(name), "missing fixture \(name)")
        }
    }

    @Test("every good fixture decodes to the expected grey level and opacity of each pixel", arguments: goodPictures)
    func decodesFixture(name: String) throws {
        let picture = try PNGDecoder.decode(try Self.bytes(name + ".png"))
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent(name + ".json")))
        #expect(picture.width == expected.width && picture.height == expected.height)
        try #require(picture.gray.count == expected.gray.count && picture.alpha.count == expected.alpha.count)
        let grayMiss = zip(picture.gray, expected.gray).enumerated().first { abs($0.element.0 - $0.element.1) > 1e-6 }
        let alphaMiss = zip(picture.alpha, expected.alpha).enumerated().first { abs($0.element.0 - $0.element.1) > 1e-6 }
        #expect(grayMiss == nil, "grey of pixel \(grayMiss?.offset ?? -1): \(grayMiss.map { "\($0.element)" } ?? "")")
        #expect(alphaMiss == nil, "alpha of pixel \(alphaMiss?.offset ?? -1): \(alphaMiss.map { "\($0.element)" } ?? "")")
    }

    @Test("transparency: tRNS makes the keyed grey and RGB pixels and the listed palette entries transparent")
    func transparency() throws {
        for name in ["grey-4-trns", "grey-16-trns", "rgb-8-trns"] {
            let picture = try PNGDecoder.decode(try Self.bytes(name + ".png"))
            #expect(picture.alpha.contains(0) && picture.alpha.allSatisfy { $0 == 0 || $0 == 1 }, "\(name)")
        }
        let palette = try PNGDecoder.decode(try Self.bytes("palette-8-trns.png"))
        #expect(palette.alpha.contains { $0 > 0 && $0 < 1 } && palette.alpha.contains(1))
        let opaque = try PNGDecoder.decode(try Self.bytes("rgb-8.png"))
        #expect(opaque.alpha.allSatisfy { $0 == 1 })
    }

    // MARK: - Bad pictures

    @Test("each bad fixture is refused with one plain line", arguments: [
        ("bad-signature", "not a PNG file (it does not start with the PNG signature)"),
        ("bad-interlaced", "interlaced PNGs are not supported; save the picture without interlacing"),
        ("bad-crc", "bad CRC in the IHDR chunk"),
        ("bad-truncated", "truncated: the IDAT data ends early"),
        ("bad-oversized", "the picture is 100000 × 100000 pixels, larger than the 4096 × 4096 limit"),
        ("bad-zero-width", "the picture is 0 × 4 pixels; width and height must be at least 1"),
        ("bad-filter-type", "row 1 from the top has filter type 7; PNG defines 0 to 4"),
        ("bad-adler", "bad zlib checksum"),
        ("bad-palette-index", "a pixel uses palette entry 2, but the palette has only 2 entries"),
        ("bad-short-data", "truncated: the IDAT data holds 33 of the 36 bytes the picture needs"),
    ])
    func refusesBadFixture(name: String, message: String) throws {
        let bytes = try Self.bytes(name + ".png")
        #expect(throws: PNGDecodeError(message)) { try PNGDecoder.decode(bytes) }
    }

    @Test("the size limit is checked on IHDR, before the rest of the file is read")
    func sizeLimitComesFirst() throws {
        // An IHDR of 4097 × 1 followed by garbage instead of chunks.
        var ihdr: [UInt8] = Array("IHDR".utf8) + [0, 0, 0x10, 0x01, 0, 0, 0, 1, 8, 0, 0, 0, 0]
        ihdr += withUnsafeBytes(of: CRC32.checksum(ihdr).bigEndian, Array.init)
        let bytes = PNGDecoder.signature + [0, 0, 0, 13] + ihdr + [UInt8](repeating: 0xFF, count: 100)
        #expect(throws: PNGDecodeError("the picture is 4097 × 1 pixels, larger than the 4096 × 4096 limit")) {
            try PNGDecoder.decode(bytes)
        }
        #expect(PNGDecoder.maximumSide == 4096)
    }

    @Test("CRC-32 and Adler-32 give the published check values")
    func checksums() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        // The slicing-by-8 kernel against the bitwise definition, across the 8-byte steps, whole
        // and in two updates.
        func bitwise(_ bytes: [UInt8]) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? crc >> 1 ^ 0xEDB8_8320 : crc >> 1 }
            }
            return ~crc
        }
        for length in [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
            #expect(CRC32.checksum(bytes) == bitwise(bytes), "length \(length)")
            var split = CRC32()
            bytes.prefix(length / 3).withUnsafeBytes { split.update($0) }
            bytes.dropFirst(length / 3).withUnsafeBytes { split.update($0) }
            #expect(split.value == bitwise(bytes), "in two updates, length \(length)")
        }
        #expect(Adler32.checksum(Array("Wikipedia".utf8)[...]) == 0x11E6_0398)
        // Past the 5552-byte block where the sums are reduced: against the definition.
        let long = (0..<20000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }
        var a = 1, b = 0
        for byte in long { a = (a + Int(byte)) % 65521; b = (b + a) % 65521 }
        #expect(Adler32.checksum(long[...]) == UInt32(b << 16 | a))
    }

    // MARK: - Hostile input

    /// A fixed-seed linear congruential generator for the mutations.
    struct Mutator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test("truncations and byte flips of good fixtures never crash: each decodes to valid values or throws one line",
          arguments: ["multiple-idat", "stored", "palette-4", "grey-16-trns", "filter-paeth-grey-2"])
    func hostileMutations(name: String) throws {
        let original = try Self.bytes(name + ".png")
        var variants = (0..<original.count).map { Array(original.prefix($0)) }
        var mutator = Mutator(state: UInt64(original.count))
        for round in 0..<800 {
            var bytes = original
            for _ in 0...mutator.next(3) { bytes[mutator.next(bytes.count)] ^= UInt8(1 + mutator.next(255)) }
            // Half the rounds with the checksums patched, so the flips reach the data behind them.
            variants.append(round.isMultiple(of: 2) ? bytes : FuzzChecks.withValidPictureChecksums(bytes) ?? bytes)
        }
        var decoded = 0
        for (index, bytes) in variants.enumerated() {
            let finding = FuzzChecks.picture(Data(bytes))
            #expect(finding == nil, "\(name) variant \(index): \(finding ?? "")")
            if (try? PNGDecoder.decode(bytes)) != nil { decoded += 1 }
        }
        // Some patched flips land in ancillary bytes or pixel values and still decode.
        #expect(decoded > 1)
    }

    @Test("patching the checksums lets a flipped stored pixel byte through to a different picture")
    func checksumPatchReachesPixels() throws {
        let original = try Self.bytes("stored.png")
        var flipped = original
        flipped[flipped.count - 12 - 4 - 10] ^= 0x40  // a pixel byte near the end of the stored block
        #expect(throws: PNGDecodeError.self) { try PNGDecoder.decode(flipped) }
        let patched = try #require(FuzzChecks.withValidPictureChecksums(flipped))
        let picture = try PNGDecoder.decode(patched)
        #expect(picture != (try PNGDecoder.decode(original)))
    }
}
