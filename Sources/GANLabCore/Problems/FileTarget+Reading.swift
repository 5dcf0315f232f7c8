import Foundation

// MARK: - Reading a target file

extension FileTarget {
    /// Fewest points a `points` target may have.
    public static let minimumPoints = 100
    /// Largest target file accepted: 64 MiB (a 4096² RGBA PNG is at most that much compressed,
    /// and a CSV of a million points about 30 MB).
    public static let maximumFileBytes = 64 << 20

    /// Reads the file at `path` as the `kind` target with `settings` (`settings.file` is only
    /// recorded; `path` is what is read). With a non-empty `settings.checksum` the file's CRC-32C
    /// must equal it. Every problem is an `InputError` of one line that names `path`.
    public static func read(path: String, kind: ProblemKind, settings: TargetConfig) throws -> FileTarget {
        try decode(bytes: readBytes(path), file: path, kind: kind, settings: settings)
    }

    /// The bytes of the file at `path`, refusing folders, missing files and files over the limit.
    public static func readBytes(_ path: String) throws -> [UInt8] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw InputError("\(path): no such file (the target file named by target.file)")
        }
        guard !isFolder.boolValue else { throw InputError("\(path) is a folder; target.file must name a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError("\(path): cannot be read (check its permissions)")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maximumFileBytes + 1)) ?? Data()
        guard data.count <= maximumFileBytes else {
            throw InputError("\(path) is larger than \(maximumFileBytes >> 20) MiB; use fewer points or a smaller picture")
        }
        return [UInt8](data)
    }

    /// The checksum a config records for `bytes`: CRC-32C as 8 lower-case hex digits.
    public static func checksum(of bytes: [UInt8]) -> String {
        let value = CRC32C.checksum(bytes)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// Builds the target from a file's bytes (`file` names it in messages).
    public static func decode(bytes: [UInt8], file: String, kind: ProblemKind, settings: TargetConfig) throws -> FileTarget {
        precondition(kind.isFileTarget, "not a file target")
        var settings = settings
        let sum = checksum(of: bytes)
        if !settings.checksum.isEmpty && settings.checksum.lowercased() != sum {
            throw InputError("\(file): its checksum is \(sum), but the run recorded \(settings.checksum.lowercased()); "
                             + "the target file changed since the run started (restore it, or start a new run)")
        }
        settings.checksum = sum
        switch kind {
        case .picture: return try picture(bytes: bytes, file: file, settings: settings)
        default: return try points(bytes: bytes, file: file, settings: settings)
        }
    }

    // MARK: - Points

    private static func points(bytes: [UInt8], file: String, settings: TargetConfig) throws -> FileTarget {
        guard !bytes.isEmpty else { throw InputError("\(file) is empty; it needs a header row x,y (and optionally weight) and at least \(minimumPoints) points") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError("\(file) is not UTF-8 text; save the points as a plain CSV file with columns x,y")
        }
        let table = try CSVTable(text: text, file: file)
        guard let xi = table.column("x"), let yi = table.column("y") else {
            throw InputError("\(file):1: the header (\(ConfigFormat.shown(table.columns.joined(separator: ",")))) has no columns named x and y")
        }
        guard table.rows.count >= minimumPoints else {
            throw InputError("\(file) has \(table.rows.count) points; a target needs at least \(minimumPoints)")
        }
        let xs = try table.numbers(column: xi), ys = try table.numbers(column: yi)
        var weights = [Double](repeating: 1, count: xs.count)
        if let wi = table.column("weight") {
            weights = try table.numbers(column: wi)
            for (row, w) in zip(table.rows, weights) where w < 0 {
                throw InputError("\(file):\(row.line): weight is \(row.fields[wi]); weights must be ≥ 0")
            }
            guard weights.contains(where: { $0 > 0 }) else {
                throw InputError("\(file): every weight is 0; give some points a positive weight")
            }
        }
        let atoms = zip(xs, ys).map { SIMD2($0, $1) }
        for (row, p) in zip(table.rows, atoms) where Swift.max(abs(p.x), abs(p.y)) > 1e6 {
            throw InputError("\(file):\(row.line): (\(row.fields[xi]), \(row.fields[yi])) is more than 10⁶ from the "
                             + "origin; rescale the data (the networks work on coordinates of order 1)")
        }
        var extent = settings.extent
        if extent == 0 {
            let largest = atoms.reduce(0.0) { Swift.max($0, abs($1.x), abs($1.y)) }
            extent = largest > 0 ? 1.1 * largest + 3 * settings.jitter : 1
        }
        return FileTarget(settings: settings, extent: extent, points: atoms, weights: weights)
    }

    // MARK: - Pictures

    private static func picture(bytes: [UInt8], file: String, settings: TargetConfig) throws -> FileTarget {
        let image: DecodedPicture
        do {
            image = try PNGDecoder.decode(bytes)
        } catch {
            throw InputError("\(file): \(error.message)")
        }
        let extent = settings.extent > 0 ? settings.extent : 1
        var pixels: [UInt32] = [], weights: [Double] = []
        for index in 0..<(image.width * image.height) {
            let darkness = Double(1 - image.gray[index]) * Double(image.alpha[index])
            guard darkness > 0 else { continue }
            pixels.append(UInt32(index))
            weights.append(darkness)
        }
        guard !pixels.isEmpty else {
            throw InputError("\(file): the picture has no dark pixel (darker pixels hold the target's mass; "
                             + "white and transparent ones none)")
        }
        return FileTarget(settings: settings, extent: extent, pixels: pixels, weights: weights,
                          width: image.width, height: image.height)
    }
}
