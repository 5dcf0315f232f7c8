import Foundation
import Yams

// MARK: - Where a value came from

/// The origin of the YAML being read: an experiment file or one `--set` argument.
struct ConfigSource {
    /// The file name shown in messages.
    let file: String
    /// The whole `--set` argument, when the value came from the command line.
    let override: String?

    /// `file:line` for file values, `--set 'key=value'` for overrides.
    func location(_ mark: Mark?) -> String {
        if let override { return "--set '\(override)'" }
        if let mark { return "\(file):\(mark.line)" }
        return file
    }
}

// MARK: - Reading one value

/// One YAML value on its way into a config field: typed reads with precise errors.
///
/// Only plain (unquoted) scalars count as numbers: `steps: "2000"` is text, and the message says
/// to drop the quotes. Names (enumeration values) and text may be quoted.
struct ValueReader {
    /// The value node.
    let node: Node
    /// Dotted path of the key being set, e.g. `train.steps`.
    let keyPath: String
    /// Where the node came from.
    let source: ConfigSource

    /// `file:line` (or the `--set` argument) of the value.
    var location: String { source.location(node.mark) }

    /// An error about this value.
    func error(_ kind: ConfigError.Kind, _ problem: String) -> ConfigError {
        ConfigError(kind, location: location, keyPath: keyPath, problem: problem)
    }

    /// The value as plain scalar text, or a wrong-type error naming `expected`.
    private func plainScalar(expected: String, example: String) throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any,
              !node.isNullConfigScalar
        else {
            throw error(.wrongType, "expected \(expected), found \(node.configSummary); write \(example).")
        }
        return scalar.string
    }

    /// A whole number (decimal digits, optional sign, `_` separators allowed).
    func integer(example: String) throws(ConfigError) -> Int {
        let text = try plainScalar(expected: "an integer", example: "a whole number such as \(example)")
        let digits = text.replacingOccurrences(of: "_", with: "")
        guard let value = Int(digits) else {
            if digits.isSignedDigitString {
                throw error(.outOfRange, "\(text) is far too large; write a whole number such as \(example).")
            }
            throw error(.wrongType,
                        "expected an integer, found \(node.configSummary); write a whole number such as \(example).")
        }
        return value
    }

    /// A non-negative whole number up to 2⁶⁴ − 1 (seeds).
    func unsigned(example: String) throws(ConfigError) -> UInt64 {
        let text = try plainScalar(expected: "an integer", example: "a whole number such as \(example)")
        let digits = text.replacingOccurrences(of: "_", with: "")
        guard let value = UInt64(digits) else {
            if digits.isSignedDigitString {
                throw error(.outOfRange, "\(text) is out of range; use a whole number from 0 to \(UInt64.max).")
            }
            throw error(.wrongType,
                        "expected an integer, found \(node.configSummary); write a whole number such as \(example).")
        }
        return value
    }

    /// A number; YAML's `.inf`, `-.inf` and `.nan` are read (and later rejected by range checks).
    func real(example: String) throws(ConfigError) -> Double {
        let text = try plainScalar(expected: "a number", example: "a number such as \(example)")
        switch text.lowercased() {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default: break
        }
        guard let value = Double(text.replacingOccurrences(of: "_", with: "")) else {
            throw error(.wrongType,
                        "expected a number, found \(node.configSummary); write a number such as \(example).")
        }
        return value
    }

    /// Free text; an empty value or `~` reads as "".
    func text() throws(ConfigError) -> String {
        if node.isNullConfigScalar { return "" }
        guard case .scalar(let scalar) = node else {
            throw error(.wrongType, "expected text, found \(node.configSummary); write one line of text in quotes.")
        }
        return scalar.string
    }

    /// One of the raw values of `T`; the message lists them all and suggests the closest.
    func name<T: RawRepresentable & CaseIterable>(_ type: T.Type, what: String) throws(ConfigError) -> T
    where T.RawValue == String {
        let allowed = T.allCases.map(\.rawValue)
        let list = allowed.joined(separator: ", ")
        guard case .scalar(let scalar) = node, !node.isNullConfigScalar else {
            throw error(.wrongType, "expected the name of \(what), found \(node.configSummary); use one of: \(list).")
        }
        guard let value = T(rawValue: scalar.string) else {
            let hint = ConfigError.suggestion(for: scalar.string, in: allowed)
            throw error(.unknownName, "unknown \(what) '\(ConfigFormat.shown(scalar.string))'; \(hint)allowed values: \(list).")
        }
        return value
    }

    /// A list of whole numbers, as a flow list `[64, 64]` or one `- 64` item per line.
    func integers(example: String) throws(ConfigError) -> [Int] {
        guard case .sequence(let sequence) = node else {
            throw error(.wrongType,
                        "expected a list of integers, found \(node.configSummary); write a list such as \(example).")
        }
        var values: [Int] = []
        for (index, element) in sequence.enumerated() {
            let reader = ValueReader(node: element, keyPath: "\(keyPath)[\(index)]", source: source)
            values.append(try reader.integer(example: "128"))
        }
        return values
    }
}

// MARK: - Node helpers

extension Node {
    /// True for an empty, `~` or `null` plain scalar: a key written with no value.
    var isNullConfigScalar: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// How a node reads in a message: `"many"` for text, `a list`, `a section`, `nothing`.
    var configSummary: String {
        switch self {
        case .scalar(let scalar):
            if isNullConfigScalar { return "nothing" }
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
            let shown = ConfigFormat.shown(scalar.string, limit: 40)
            return quoted ? "the quoted text \"\(shown)\" (drop the quotes for a number)" : "\"\(shown)\""
        case .sequence: return "a list"
        case .mapping: return "a section of keys"
        case .alias: return "an alias"
        }
    }
}

extension String {
    /// True for an optional sign followed by one or more ASCII digits.
    fileprivate var isSignedDigitString: Bool {
        var body = Substring(self)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        return !body.isEmpty && body.allSatisfy { $0.isASCII && $0.isNumber }
    }
}

// MARK: - Formatting values for messages and YAML

/// Text formatting shared by the config reader, checks and writer.
enum ConfigFormat {
    /// 10000000 → "10,000,000".
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// Text from the file as a message quotes it: at most `limit` characters, then "…" (a 1 MB
    /// key or name must not make a 1 MB message).
    static func shown(_ text: String, limit: Int = 60) -> String {
        text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    /// A Double as YAML writes it: `.nan`, `.inf`, `-.inf`, or Swift's shortest round-trip form.
    static func number(_ x: Double) -> String {
        if x.isNaN { return ".nan" }
        if x.isInfinite { return x > 0 ? ".inf" : "-.inf" }
        return "\(x)"
    }

    /// Text as a YAML double-quoted scalar (escapes `\`, `"` and control characters).
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex(scalar.value, digits: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `value` in upper-case hex, zero-padded to `digits`.
    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
