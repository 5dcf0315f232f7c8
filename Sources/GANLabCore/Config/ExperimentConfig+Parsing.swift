import Foundation
import Yams

// MARK: - From text to a YAML node, with errors a user can act on

extension ExperimentConfig {
    /// Parses `text` into its single YAML document, turning every failure into a `ConfigError`.
    ///
    /// Checks, in order: empty text; binary content (NUL and other control characters, or the
    /// U+FFFD that replaced undecodable bytes); YAML syntax (Yams/libyaml errors, with the line and
    /// the offending source line); duplicate keys (libyaml's composer rejects them; the message
    /// names the key path and both lines); a document holding only comments.
    static func composeDocument(_ text: String, file: String) throws(ConfigError) -> Node {
        let emptyMessage = "empty experiment file; write at least 'problem: spiral' "
            + "(experiments/spiral-article.yaml spells out every key)."
        if text.allSatisfy(\.isWhitespace) {
            throw ConfigError(.empty, location: "\(file):1", problem: emptyMessage)
        }
        if let (line, value) = firstBinaryCharacter(in: text) {
            throw ConfigError(.notText, location: "\(file):\(line)",
                              problem: "the file is not text (found character U+\(value)); "
                                + "an experiment file must be UTF-8 YAML.")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, text: text, file: file)
        } catch {
            throw ConfigError(.syntax, location: file, problem: "cannot parse the YAML (\(error)).")
        }
        guard let node else {
            throw ConfigError(.empty, location: "\(file):1", problem: emptyMessage)
        }
        return node
    }

    /// Line (1-based) and hex code of the first character that has no place in a text file.
    private static func firstBinaryCharacter(in text: String) -> (Int, String)? {
        var line = 1
        for character in text {
            for scalar in character.unicodeScalars {
                let v = scalar.value
                if (v < 0x20 && scalar != "\t" && scalar != "\r" && scalar != "\n") || v == 0x7F || v == 0xFFFD {
                    return (line, ConfigFormat.hex(v, digits: 4))
                }
            }
            if character.isNewline { line += 1 }
        }
        return nil
    }

    /// A one-line message for a Yams error.
    private static func syntaxError(_ error: YamlError, text: String, file: String) -> ConfigError {
        let lines = yamlLines(text)
        func quoted(_ line: Int) -> String {
            guard line >= 1 && line <= lines.count else { return "" }
            let source = lines[line - 1].trimmingCharacters(in: .whitespacesAndNewlines)
            let shown = source.count > 60 ? String(source.prefix(60)) + "…" : source
            return shown.isEmpty ? "" : " (line \(line): \(shown))"
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            // libyaml's context reads after the problem ("… while parsing a flow sequence"),
            // except for the composer's "expected …" / "but found …" pairs.
            let detail = context.map {
                problem.hasPrefix("but ") ? "\($0.text) \(problem)" : "\(problem) \($0.text)"
            } ?? problem
            if problem.contains("nesting level") {
                return ConfigError(.syntax, location: "\(file):\(mark.line)",
                                   problem: "lists or sections nest more than 1,000 levels deep; an experiment file "
                                     + "needs at most three (section, subsection, value).")
            }
            let hasTab = mark.line >= 1 && mark.line <= lines.count && lines[mark.line - 1].contains("\t")
            let fix = hasTab ? "indent with spaces, not tabs."
                : problem.contains("another document") ? "an experiment file holds one document; remove the extra '---'."
                : "check the indentation, the ':' after each key and matching brackets and quotes."
            return ConfigError(.syntax, location: "\(file):\(mark.line)",
                               problem: "YAML syntax error: \(detail)\(quoted(mark.line)); \(fix)")
        case .reader(let problem, let offset, _, _):
            // libyaml's offset counts bytes.
            let line = offset.map { yamlLines(String(decoding: text.utf8.prefix($0), as: UTF8.self)).count } ?? 1
            return ConfigError(.notText, location: "\(file):\(line)",
                               problem: "the file is not readable text (\(problem)); "
                                 + "an experiment file must be UTF-8 YAML.")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return duplicateKeyError(duplicates.first ?? "?", first: context.mark, lines: lines, file: file)
        case .dataCouldNotBeDecoded:
            return ConfigError(.notText, location: file,
                               problem: "the file is not UTF-8 text; an experiment file must be YAML.")
        default:
            return ConfigError(.syntax, location: file, problem: "cannot parse the YAML (\(error)).")
        }
    }

    /// The lines of `text` as libyaml numbers them: `\r\n`, `\r`, `\n`, NEL, LS and PS each end one.
    ///
    /// (`Character.isNewline` is exactly that set once the control characters VT and FF, which
    /// `firstBinaryCharacter` refuses, are out of the way; `\r\n` is one `Character`.)
    static func yamlLines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    }

    // MARK: - Duplicate keys

    /// Names the duplicated key by its path and both lines.
    ///
    /// libyaml reports only the first occurrence, so the path and the second line are recovered
    /// from block indentation: the enclosing keys are the nearest less-indented `key:` lines
    /// above, the repeat is the next line at the same indentation starting with the same key.
    private static func duplicateKeyError(
        _ key: String, first: Mark, lines: [Substring], file: String
    ) -> ConfigError {
        let firstIndex = first.line - 1
        let indent = first.column - 1
        var path = [key]
        var level = indent
        var index = firstIndex - 1
        while index >= 0 && level > 0 && index < lines.count {
            let (lineIndent, lineKey) = blockKey(lines[index])
            if let lineKey, lineIndent < level {
                path.insert(lineKey, at: 0)
                level = lineIndent
            }
            index -= 1
        }
        var repeatLine: Int?
        index = firstIndex + 1
        while index < lines.count {
            let (lineIndent, lineKey) = blockKey(lines[index])
            if lineKey != nil || lineIndent >= 0 {
                if lineIndent >= 0 && lineIndent < indent { break }
                if lineIndent == indent && lineKey == key { repeatLine = index + 1; break }
            }
            index += 1
        }
        let line = repeatLine ?? first.line
        let also = repeatLine == nil ? "" : " (first set on line \(first.line))"
        return ConfigError(.duplicateKey, location: "\(file):\(line)",
                           keyPath: path.map { ConfigFormat.shown($0) }.joined(separator: "."),
                           problem: "duplicate key '\(ConfigFormat.shown(key))'\(also); keep only one.")
    }

    /// Indentation and key of a block-mapping line `  key: value`; indentation −1 for blank or
    /// comment lines, key nil when the line is not `key:`.
    private static func blockKey(_ line: Substring) -> (Int, String?) {
        let body = line.drop(while: { $0 == " " })
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return (-1, nil) }
        let indent = line.count - body.count
        guard let colon = body.firstIndex(of: ":") else { return (indent, nil) }
        let after = body[body.index(after: colon)...]
        guard after.isEmpty || after.first == " " || after.first == "\r" else { return (indent, nil) }
        var key = body[..<colon].trimmingCharacters(in: .whitespaces)
        if key.count >= 2, let q = key.first, q == "\"" || q == "'", key.last == q {
            key = String(key.dropFirst().dropLast())
        }
        return (indent, key)
    }
}
