/// Helpers for the fixed-width text tables the benchmarks print.
enum TableText {
    /// `text` padded with spaces to `width` characters (longer text is kept whole).
    static func pad(_ text: String, _ width: Int) -> String {
        text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0)
    }
}
