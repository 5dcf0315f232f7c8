/// The averages the benchmarks report.
public enum Statistics {
    /// The median: the middle value, or the mean of the two middle values for an even count
    /// (0 for no values).
    public static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// The upper median: the value at index count/2 of the sorted values (the middle one for an
    /// odd count, the higher of the two middle ones for an even count). `values` must not be empty.
    public static func upperMedian(_ values: [Double]) -> Double {
        precondition(!values.isEmpty, "the median of no values")
        return values.sorted()[values.count / 2]
    }
}
