import ArgumentParser
import GANLabCore

extension GANLab {
    /// `ganlab list`: the named experiments and what each shows.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the named experiments and the CPPN presets with their descriptions.")

        @OptionGroup var experiments: ExperimentOptions

        func run() throws {
            let (library, source) = try experiments.locate()
            let entries = try library.entries()
            print("experiments in \(library.directory.path) (\(source.rawValue)):")
            let width = entries.map(\.name.count).max() ?? 0
            for entry in entries {
                let marker = entry.error == nil ? "" : "  [invalid] "
                print(entry.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + marker + entry.description)
            }
            let presets = CPPNLibrary(experiments: library.directory).entries()
            guard !presets.isEmpty else { return }
            print("\nCPPN presets (ganlab cppn NAME; files in \(library.directory.path)/cppn/):")
            let presetWidth = max(width, presets.map(\.name.count).max() ?? 0)
            for preset in presets {
                let marker = preset.error == nil ? "" : "  [invalid] "
                print(preset.name.padding(toLength: presetWidth + 2, withPad: " ", startingAt: 0) + marker + preset.description)
            }
        }
    }
}
