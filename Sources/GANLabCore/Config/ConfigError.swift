import Foundation

/// A problem with an experiment file, a `--set` override or an experiment name.
///
/// The message is one line: where (file:line, or the `--set` argument), which key, and a sentence
/// telling the user what to change, e.g.
/// `experiments/spiral.yaml:12: train.steps: expected an integer, found "many"; write a whole
/// number such as 60000.`
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// What went wrong, for callers that branch on it (tests, the CLI's exit code).
    public enum Kind: String, Sendable, Equatable {
        /// The file is not valid YAML.
        case syntax
        /// The file is empty, holds only comments, or is not text.
        case empty, notText
        /// The top level, or a section, is not a mapping.
        case notAMapping
        /// A key that no section defines.
        case unknownKey
        /// The same key twice in one mapping.
        case duplicateKey
        /// A value of the wrong type (text where a number belongs, a list where a name belongs…).
        case wrongType
        /// A number outside its allowed range, or a setting combination that cannot run.
        case outOfRange
        /// A name that is not one of the allowed values of an enumeration.
        case unknownName
        /// A `--set` argument that is not `section.key=value`.
        case badOverride
        /// An experiment name or path that does not exist.
        case unknownExperiment
        /// The file could not be read.
        case unreadable
    }

    /// What went wrong.
    public var kind: Kind
    /// Where: `file:line`, `file`, or `--set 'key=value'`.
    public var location: String
    /// The dotted key path (`train.generatorOptimizer.learningRate`), if the problem has one.
    public var keyPath: String?
    /// The sentence: what is wrong and what to do about it.
    public var problem: String

    /// An error at `location`, about `keyPath`, explained by `problem`.
    public init(_ kind: Kind, location: String, keyPath: String? = nil, problem: String) {
        self.kind = kind
        self.location = location
        self.keyPath = keyPath
        self.problem = problem
    }

    /// The one-line message: `location: keyPath: problem`.
    ///
    /// Keys and values quoted from the file may hold line breaks (`"a\nb": 1`, a lone `\r`) or
    /// other control characters; they are shown escaped, so the message stays one line.
    public var description: String {
        var parts: [String] = []
        if !location.isEmpty { parts.append(location) }
        if let keyPath, !keyPath.isEmpty { parts.append(keyPath) }
        parts.append(problem)
        return ConfigError.oneLine(parts.joined(separator: ": "))
    }

    /// `text` with line breaks and other control characters escaped (`\n`, `\r`, `\t`, `\u{2028}`).
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where needsEscape(scalar): out += "\\u{\(ConfigFormat.hex(scalar.value, digits: 4))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Control characters and every character Unicode or YAML treats as a line break.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// The same one-line message, for Foundation and ArgumentParser.
    public var errorDescription: String? { description }
}

// MARK: - Suggestions

extension ConfigError {
    /// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
    ///
    /// Case, `_` and `-` are ignored when comparing, so `learning_rate` suggests `learningRate`.
    /// A candidate qualifies when at most max(2, ⌊length/3⌋) edits away.
    static func closestMatch(to word: String, in candidates: [String]) -> String? {
        func normalised(_ s: String) -> [Character] {
            Array(s.lowercased().filter { $0 != "_" && $0 != "-" })
        }
        guard word.count <= 64 else { return nil }  // no name is that long; spare the O(n·m) distance
        let target = normalised(word)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(target, normalised(candidate))
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best, best.distance <= max(2, target.count / 3) else { return nil }
        return best.name
    }

    /// Levenshtein distance (insertions, deletions and substitutions each cost 1).
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// `"did you mean 'x'? "` when there is a close candidate, else the empty string.
    static func suggestion(for word: String, in candidates: [String]) -> String {
        closestMatch(to: word, in: candidates).map { "did you mean '\($0)'? " } ?? ""
    }
}
