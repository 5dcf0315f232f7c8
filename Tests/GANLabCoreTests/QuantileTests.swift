import Testing

@testable import GANLabCore

@Suite("Quantiles")
struct QuantileTests {
    @Test("median: middle value, mean of the two middle values, NaN sorted last, 0 when empty")
    func median() {
        #expect(Quantile.median([3, 1, 2]) == 2)
        #expect(Quantile.median([4, 1, 3, 2]) == 2.5)
        #expect(Quantile.median([.nan, 1, 2]) == 2)
        #expect(Quantile.median([]) == 0)
    }

    @Test("weighted quantile: the first value whose running weight reaches q of the total")
    func weighted() {
        let pairs: [(value: Double, weight: Double)] = [(1, 0.1), (2, 0.1), (3, 0.6), (10, 0.2)]
        #expect(Quantile.weighted(0.1, sorted: pairs) == 1)
        #expect(Quantile.weighted(0.5, sorted: pairs) == 3)
        #expect(Quantile.weighted(0.95, sorted: pairs) == 10)
        #expect(Quantile.weighted(0.5, sorted: []) == nil)
    }
}
