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
}
