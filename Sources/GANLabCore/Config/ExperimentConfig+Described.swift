// MARK: - The resolved experiment, explained

extension ExperimentConfig {
    /// The config as YAML with every key's meaning and default in a trailing comment, for
    /// `ganlab config`. It loads back to the same config (the comments are YAML comments).
    ///
    /// A key whose value differs from the default is marked `(default: X)`; the allowed names of
    /// an enumeration are listed.
    public var describedYAMLText: String {
        let defaults = ExperimentConfig()
        var rows: [(text: String, comment: String)] = []
        func render(_ fields: [ConfigField], indent: String) {
            for field in fields {
                if indent.isEmpty && field.name == "target" && !problem.isFileTarget { continue }
                switch field.content {
                case .section(let children):
                    rows.append(("\(indent)\(field.name):", field.help))
                    render(children, indent: indent + "  ")
                case .value(_, _, let value, _):
                    var comment = field.help
                    if !field.choices.isEmpty { comment += " (one of: " + field.choices.joined(separator: ", ") + ")" }
                    let mine = value(self), standard = value(defaults)
                    comment += mine == standard ? "; default" : "; default \(standard)"
                    rows.append(("\(indent)\(field.name): \(mine)", comment))
                }
            }
        }
        render(ExperimentConfig.schema, indent: "")
        let width = min(48, rows.map(\.text.count).max() ?? 0)
        let header = "# ganlab experiment, fully resolved (defaults < experiment file < --set overrides).\n"
            + "# Every key with its meaning; 'default' marks a value equal to the built-in default.\n"
        return header + rows.map { row in
            row.comment.isEmpty ? row.text
                : row.text.padding(toLength: max(width, row.text.count), withPad: " ", startingAt: 0) + "  # " + row.comment
        }.joined(separator: "\n") + "\n"
    }
}
