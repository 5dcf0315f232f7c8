import Foundation
import Yams

// MARK: - Loading

extension ExperimentConfig {
    /// Reads an experiment: the defaults, then the YAML text, then `--set` overrides, then
    /// `validate()`.
    ///
    /// The YAML node tree is walked directly (not decoded with Codable), so every error is one line
    /// naming `file`, the line and the key path, and saying what to change. `file` is only used in
    /// messages. Overrides are `section.key=value` strings such as `train.steps=2000`,
    /// `generator.hidden=[64,64]` or `seed=3`; the value is read as YAML, and errors name the
    /// `--set` argument instead of a line.
    public static func load(yaml: String, file: String, overrides: [String] = []) throws(ConfigError)
        -> ExperimentConfig {
        var config = ExperimentConfig()
        var origins: [String: String] = [:]
        let root = try composeDocument(yaml, file: file)
        let source = ConfigSource(file: file, override: nil)
        guard case .mapping = root else {
            throw ConfigError(.notAMapping, location: source.location(root.mark),
                              problem: "the top level must be settings written as 'key: value' lines, found "
                                + "\(root.configSummary); allowed keys: \(ConfigField.names(schema)).")
        }
        try config.apply(section: root, fields: schema, path: [], source: source, origins: &origins)
        for argument in overrides {
            try config.apply(override: argument, origins: &origins)
        }
        do {
            try config.validate()
        } catch {
            var located = error
            located.location = error.keyPath.flatMap { origins[$0] } ?? file
            throw located
        }
        return config
    }

    /// Reads an experiment file from disk (see `load(yaml:file:overrides:)`); messages name the
    /// path as given.
    public static func load(contentsOf url: URL, overrides: [String] = []) throws(ConfigError)
        -> ExperimentConfig {
        let file = url.relativePath
        return try load(data: try readBounded(url, file: file, what: "experiment file"), file: file, overrides: overrides)
    }

    /// The bytes of the file at `url` (`file` and `what` name it in messages), read to at most one
    /// byte past `maximumFileBytes`, so /dev/zero or a huge file cannot exhaust memory.
    static func readBounded(_ url: URL, file: String, what: String) throws(ConfigError) -> Data {
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            return try handle.read(upToCount: maximumFileBytes + 1) ?? Data()
        } catch {
            throw ConfigError(.unreadable, location: file, problem: "cannot read the \(what) (\(error.localizedDescription)).")
        }
    }

    /// Largest experiment file accepted: 1 MiB (the committed ones are about 2 KB).
    public static let maximumFileBytes = 1 << 20

    /// Reads an experiment from the raw bytes of a file named `file` (see `load(yaml:file:overrides:)`):
    /// what `load(contentsOf:)` does once the file is read, and what the fuzzer feeds.
    public static func load(data: Data, file: String, overrides: [String] = []) throws(ConfigError)
        -> ExperimentConfig {
        guard data.count <= maximumFileBytes else {
            throw ConfigError(.outOfRange, location: file,
                              problem: "the file is larger than \(maximumFileBytes / 1024) KiB, far beyond any "
                                + "experiment (they are a few KB of YAML); check that it is the right file.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(.notText, location: file,
                              problem: "the file is not UTF-8 text; an experiment file must be YAML.")
        }
        return try load(yaml: text, file: file, overrides: overrides)
    }

    /// The defaults with `--set` overrides applied and validated (no experiment file).
    public static func resolve(overrides: [String]) throws(ConfigError) -> ExperimentConfig {
        var config = ExperimentConfig()
        try config.apply(overrides: overrides)
        return config
    }

    /// Applies `section.key=value` overrides in order, then validates the result.
    public mutating func apply(overrides: [String]) throws(ConfigError) {
        var origins: [String: String] = [:]
        for argument in overrides {
            try apply(override: argument, origins: &origins)
        }
        do {
            try validate()
        } catch {
            var located = error
            located.location = error.keyPath.flatMap { origins[$0] } ?? ""
            throw located
        }
    }

    // MARK: - Walking a section

    /// Applies every key of the mapping `node` (the section at `path`) to the config.
    private mutating func apply(
        section node: Node, fields: [ConfigField], path: [String], source: ConfigSource,
        origins: inout [String: String]
    ) throws(ConfigError) {
        let sectionName = path.joined(separator: ".")
        guard case .mapping(let mapping) = node else {
            if node.isNullConfigScalar { return }  // `train:` with everything commented out
            throw ConfigError(.wrongType, location: source.location(node.mark), keyPath: sectionName,
                              problem: "expected a section of 'key: value' lines, found \(node.configSummary); "
                                + "allowed keys: \(ConfigField.names(fields)).")
        }
        var seen: [String: Int] = [:]
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw ConfigError(.wrongType, location: source.location(keyNode.mark), keyPath: sectionName,
                                  problem: "keys must be plain names, found \(keyNode.configSummary) as a key.")
            }
            let key = keyScalar.string
            let keyPath = (path + [ConfigFormat.shown(key)]).joined(separator: ".")
            let line = keyNode.mark?.line ?? 0
            if let first = seen[key] {
                throw ConfigError(.duplicateKey, location: source.location(keyNode.mark), keyPath: keyPath,
                                  problem: "duplicate key '\(ConfigFormat.shown(key))' (first set on line \(first)); "
                                    + "keep only one.")
            }
            seen[key] = line
            guard let field = fields.first(where: { $0.name == key }) else {
                throw Self.unknownKey(key, fields: fields, sectionName: sectionName, keyPath: keyPath,
                                 location: source.location(keyNode.mark))
            }
            try apply(field: field, value: valueNode, path: path + [key], source: source, origins: &origins)
        }
    }

    /// Applies one value (or nested section) and runs the field's own check on it.
    private mutating func apply(
        field: ConfigField, value: Node, path: [String], source: ConfigSource, origins: inout [String: String]
    ) throws(ConfigError) {
        let keyPath = path.joined(separator: ".")
        switch field.content {
        case .section(let children):
            try apply(section: value, fields: children, path: path, source: source, origins: &origins)
        case .value(let read, let check, _, _):
            let reader = ValueReader(node: value, keyPath: keyPath, source: source)
            try read(&self, reader)
            if let problem = check(self) { throw reader.error(.outOfRange, problem) }
            origins[keyPath] = reader.location
        }
    }

    private static func unknownKey(
        _ key: String, fields: [ConfigField], sectionName: String, keyPath: String, location: String
    ) -> ConfigError {
        let names = fields.map(\.name)
        let whereText = sectionName.isEmpty ? "at the top level" : "in section '\(sectionName)'"
        return ConfigError(.unknownKey, location: location, keyPath: keyPath,
                           problem: "unknown key '\(ConfigFormat.shown(key))' \(whereText); \(ConfigError.suggestion(for: key, in: names))"
                             + "allowed keys: \(names.joined(separator: ", ")).")
    }

    // MARK: - Values set by key path

    /// Applies `value`, a YAML node read from `file`, to the key at the dotted `keyPath` (such as
    /// `discriminator.packing`), as if the experiment file had set it there: errors name the file
    /// and the node's line. The whole config is not validated; `validate(origins:)` does that.
    mutating func apply(keyPath: String, value: Node, file: String, origins: inout [String: String]) throws(ConfigError) {
        let source = ConfigSource(file: file, override: nil)
        let location = source.location(value.mark)
        let path = keyPath.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !keyPath.isEmpty, !path.contains(where: \.isEmpty) else {
            throw ConfigError(.unknownKey, location: location, keyPath: keyPath,
                              problem: "'\(ConfigFormat.shown(keyPath))' is not a key path; write section.key, "
                                + "e.g. train.steps or discriminator.packing.")
        }
        let field = try Self.field(at: path, location: location, kind: .unknownKey,
                                   advice: "write the key path of one setting, e.g. train.steps.")
        try apply(field: field, value: value, path: path, source: source, origins: &origins)
    }

    /// The field at a dotted key path; an unknown key, or a value used as a section, is an error
    /// of `kind` at `location` that ends with `advice`.
    private static func field(at path: [String], location: String, kind: ConfigError.Kind,
                              advice: String) throws(ConfigError) -> ConfigField {
        var fields = ExperimentConfig.schema
        var field: ConfigField?
        for (depth, key) in path.enumerated() {
            let sectionName = path[..<depth].joined(separator: ".")
            guard let found = fields.first(where: { $0.name == key }) else {
                throw unknownKey(key, fields: fields, sectionName: sectionName,
                                 keyPath: path[...depth].joined(separator: "."), location: location)
            }
            field = found
            if case .section(let children) = found.content {
                fields = children
            } else if depth < path.count - 1 {
                throw ConfigError(kind, location: location, keyPath: path[...depth].joined(separator: "."),
                                  problem: "'\(key)' is a value, not a section; \(advice)")
            }
        }
        guard let field else {
            throw ConfigError(kind, location: location, problem: "no key path given; \(advice)")
        }
        return field
    }

    /// `validate()`, with the error's location taken from where its key was set (`origins`, as
    /// `apply(keyPath:value:file:origins:)` records them), else `fallback`.
    func validate(origins: [String: String], fallback: String) throws(ConfigError) {
        do {
            try validate()
        } catch {
            var located = error
            located.location = error.keyPath.flatMap { origins[$0] } ?? fallback
            throw located
        }
    }

    // MARK: - Overrides

    /// Applies one `section.key=value` argument.
    private mutating func apply(override argument: String, origins: inout [String: String]) throws(ConfigError) {
        let source = ConfigSource(file: "", override: argument)
        let location = source.location(nil)
        let usage = "write --set section.key=value, e.g. --set train.steps=2000 or --set generator.hidden=[64,64]."
        guard let equals = argument.firstIndex(of: "=") else {
            throw ConfigError(.badOverride, location: location, problem: "missing '='; \(usage)")
        }
        let keyPath = argument[..<equals].trimmingCharacters(in: .whitespaces)
        let valueText = String(argument[argument.index(after: equals)...])
        let path = keyPath.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !keyPath.isEmpty, !path.contains(where: \.isEmpty) else {
            throw ConfigError(.badOverride, location: location, problem: "'\(keyPath)' is not a key path; \(usage)")
        }
        let field = try Self.field(at: path, location: location, kind: .badOverride, advice: usage)
        let value = try overrideValue(valueText, for: field, keyPath: keyPath, location: location)
        try apply(field: field, value: value, path: path, source: source, origins: &origins)
    }

    /// The YAML node of an override's value; text fields take unquoted text verbatim.
    private func overrideValue(
        _ text: String, for field: ConfigField, keyPath: String, location: String
    ) throws(ConfigError) -> Node {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if case .value(_, _, _, true) = field.content, !trimmed.hasPrefix("\""), !trimmed.hasPrefix("'") {
            return Node(text)
        }
        guard !trimmed.isEmpty else {
            throw ConfigError(.badOverride, location: location, keyPath: keyPath,
                              problem: "no value after '='; write e.g. --set train.steps=2000.")
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigError(.badOverride, location: location, keyPath: keyPath,
                                  problem: "no value after '='; write e.g. --set train.steps=2000.")
            }
            return node
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(.badOverride, location: location, keyPath: keyPath,
                              problem: "the value '\(text)' is not valid YAML; quote text and write lists "
                                + "as [64, 64].")
        }
    }

    // MARK: - Writing

    /// The config as YAML, keys in declaration order; `load(yaml:)` of it gives an equal config.
    ///
    /// Runs write this into their folder, so a run can be reproduced from it alone. The default
    /// `train.kernels: auto` is left out (a run records the plan it resolved to instead), so the
    /// text of an experiment, and a sweep's fingerprint, do not change with the planner.
    public var yamlText: String {
        var lines = ["# ganlab experiment, fully resolved (defaults < experiment file < --set overrides)."]
        func render(_ fields: [ConfigField], indent: String) {
            for field in fields {
                if indent.isEmpty && field.name == "target" && !problem.isFileTarget { continue }
                if indent == "  " && field.name == "kernels" && train.kernels == "auto" { continue }
                switch field.content {
                case .section(let children):
                    lines.append("\(indent)\(field.name):")
                    render(children, indent: indent + "  ")
                case .value(_, _, let value, _):
                    lines.append("\(indent)\(field.name): \(value(self))")
                }
            }
        }
        render(ExperimentConfig.schema, indent: "")
        return lines.joined(separator: "\n") + "\n"
    }
}
