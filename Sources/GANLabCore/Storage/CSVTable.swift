import Foundation

/// A comma-separated table with a header row: the one CSV reader of the lab (sample files,
/// `diagnostics.csv`, `metrics.csv`).
///
/// Fields may be quoted with `"` (a doubled `""` inside stands for one quote), as R's `write.csv`
/// and pandas write them; column names are matched without regard to case. Blank lines are
/// skipped; every other row must have as many fields as the header. Errors name the file and line.
public struct CSVTable: Sendable {
    /// The file the table came from, for messages.
    public let file: String
    /// Column names as written (quotes removed, surrounding spaces trimmed).
    public let columns: [String]
    /// The data rows with their 1-based line numbers in the file.
    public let rows: [(line: Int, fields: [String])]

    /// Reads the table in the file at `path`.
    public static func read(path: String) throws -> CSVTable {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw InputError("\(path): no such file")
        }
        guard !isFolder.boolValue else { throw InputError("\(path) is a folder; give a CSV file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("\(path): cannot be read (check its permissions)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError("\(path) is not UTF-8 text; save it as a plain CSV file")
        }
        return try CSVTable(text: text, file: path)
    }

    /// Parses `text`; `file` names it in messages.
    public init(text: String, file: String) throws {
        self.file = file
        var header: [String]?
        var rows: [(line: Int, fields: [String])] = []
        var number = 0
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            number += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            let fields = try Self.fields(of: line, file: file, line: number)
            if header == nil {
                header = fields
            } else {
                rows.append((number, fields))
            }
        }
        guard let header else { throw InputError("\(file) is empty; it needs a header row naming its columns") }
        var seen: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            guard !name.isEmpty else { throw InputError("\(file):1: column \(index + 1) of the header has no name") }
            if let first = seen[name.lowercased()] {
                throw InputError("\(file):1: the header names column '\(name)' twice (columns \(first + 1) and \(index + 1)); rename one")
            }
            seen[name.lowercased()] = index
        }
        for row in rows where row.fields.count != header.count {
            throw InputError("\(file):\(row.line): \(row.fields.count) fields, but the header has \(header.count) columns")
        }
        self.columns = header
        self.rows = rows
    }

    /// The index of the column named `name` (case ignored), if there is one.
    public func column(_ name: String) -> Int? {
        columns.firstIndex { $0.lowercased() == name.lowercased() }
    }

    /// The finite numbers of column `index`, row by row; a field that is not a finite number is an
    /// error naming its line.
    public func numbers(column index: Int) throws -> [Double] {
        try rows.map { row in
            let text = row.fields[index]
            guard let value = Double(text) else {
                throw InputError("\(file):\(row.line): \(columns[index]) is '\(ConfigFormat.shown(text))', not a number")
            }
            guard value.isFinite else {
                throw InputError("\(file):\(row.line): \(columns[index]) is \(ConfigFormat.shown(text)); only finite numbers are allowed")
            }
            return value
        }
    }

    /// Splits one line into fields, honouring double quotes.
    private static func fields(of line: Substring, file: String, line number: Int) throws -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        var index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if quoted {
                if c == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex && line[next] == "\"" {
                        current.append("\"")
                        index = next
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"" && current.allSatisfy(\.isWhitespace) {
                quoted = true
                wasQuoted = true
                current = ""
            } else if c == "," {
                fields.append(wasQuoted ? current : current.trimmingCharacters(in: .whitespaces))
                current = ""
                wasQuoted = false
            } else if !(wasQuoted && c.isWhitespace) {
                current.append(c)
            }
            index = line.index(after: index)
        }
        guard !quoted else { throw InputError("\(file):\(number): a quoted field is not closed") }
        fields.append(wasQuoted ? current : current.trimmingCharacters(in: .whitespaces))
        return fields
    }
}

/// A set of 2-D points read from a CSV file with columns `x` and `y` (any case, quoted or not;
/// other columns, e.g. latents, are ignored).
public enum PointSetCSV {
    /// The points of the file at `path` as flat x, y pairs.
    public static func read(path: String) throws -> [Float] {
        let table = try CSVTable.read(path: path)
        guard let xi = table.column("x"), let yi = table.column("y") else {
            throw InputError("\(path):1: the header (\(table.columns.joined(separator: ","))) has no columns named x and y")
        }
        guard !table.rows.isEmpty else { throw InputError("\(path) has a header but no samples") }
        let xs = try table.numbers(column: xi), ys = try table.numbers(column: yi)
        var points: [Float] = []
        points.reserveCapacity(2 * xs.count)
        for (x, y) in zip(xs, ys) {
            guard Float(x).isFinite, Float(y).isFinite else {
                throw InputError("\(path): a value beyond ±3.4e38 does not fit a 32-bit float")
            }
            points += [Float(x), Float(y)]
        }
        return points
    }
}
