/// A named float array that a snapshot stores after its two networks (format version 3): the
/// state of a remedy that is neither network's parameters nor optimizer state.
///
/// Adding one: a case with its file name, a typed property on `Snapshot`, and a line in
/// `Snapshot.extraArrays` and `setExtraArray`; the shape and config checks say which counts it
/// must have.
enum SnapshotExtra: String, CaseIterable, Sendable {
    /// θ_EMA, the moving average of G's parameters (`train.generatorAverage`), one per parameter.
    case generatorAverage = "generator.average"
    /// u_l then v_l of every dense layer of D (`discriminator.normalization: spectral`).
    case discriminatorSpectral = "discriminator.spectral"

    /// A name read from a file, for an error line: printable ASCII as it is, every other byte as
    /// \xNN, in quotes, at most 60 characters.
    static func shown(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            if text.count >= 60 { return "\"" + text + "…\"" }
            if (0x20...0x7E).contains(byte) && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                text.append(Character(Unicode.Scalar(byte)))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                text += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            }
        }
        return "\"" + text + "\""
    }

    /// Reads the extra arrays' names and counts from a version 3 header, refusing too many, long,
    /// unknown and repeated names (the counts are checked with the payload's).
    static func readDeclarations(_ reader: inout BinaryReader) throws -> [(extra: SnapshotExtra, count: Int64)] {
        let count = Int(try reader.readUInt32())
        guard count <= Snapshot.maximumExtraCount else {
            throw StorageError.implausibleSize(path: reader.path, field: "extra array count",
                value: Int64(count), limit: Int64(Snapshot.maximumExtraCount))
        }
        var extras: [(extra: SnapshotExtra, count: Int64)] = []
        for _ in 0..<count {
            let nameLength = Int(try reader.readUInt32())
            guard nameLength <= Snapshot.maximumExtraNameBytes else {
                throw StorageError.implausibleSize(path: reader.path, field: "extra array name length",
                    value: Int64(nameLength), limit: Int64(Snapshot.maximumExtraNameBytes))
            }
            let bytes = try reader.readBytes(count: nameLength)
            guard let extra = SnapshotExtra(rawValue: String(decoding: bytes, as: UTF8.self)),
                  Array(extra.rawValue.utf8) == bytes else {
                throw StorageError.badContent(path: reader.path, detail: "an extra array is named "
                    + SnapshotExtra.shown(bytes) + ", which this ganlab does not know (known: "
                    + SnapshotExtra.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + ")")
            }
            guard !extras.contains(where: { $0.extra == extra }) else {
                throw StorageError.badShape(path: reader.path, detail: "the extra array \"\(extra.rawValue)\" is stored twice")
            }
            extras.append((extra, try reader.readInt64()))
        }
        return extras
    }
}

extension Snapshot {
    /// The named extra arrays this snapshot stores, in file order.
    var extraArrays: [(extra: SnapshotExtra, values: [Float])] {
        var out: [(extra: SnapshotExtra, values: [Float])] = []
        if let generatorAverage { out.append((.generatorAverage, generatorAverage)) }
        if let discriminatorSpectralVectors { out.append((.discriminatorSpectral, discriminatorSpectralVectors)) }
        return out
    }

    /// Sets the property an extra array is stored in.
    mutating func setExtraArray(_ extra: SnapshotExtra, _ values: [Float]) {
        switch extra {
        case .generatorAverage: generatorAverage = values
        case .discriminatorSpectral: discriminatorSpectralVectors = values
        }
    }
}
