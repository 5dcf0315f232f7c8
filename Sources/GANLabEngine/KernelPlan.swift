/// Which kernel multiplies each dense layer's matrix products: the engine's hand-written tiles
/// or OpenBLAS `sgemm`, chosen per layer shape and per product (the forward a·W, the input
/// gradient δ·Wᵀ and the weight gradient Xᵀ·δ).
///
/// A layer with at most 4 outputs (or, for δ·Wᵀ, 4 inputs) always uses dot products; a shape the
/// plan does not list follows the build's fixed rule (`fixed`: OpenBLAS when both sides are at
/// least `KernelPlan.fixedBLASWidth`). `KernelPlanner` measures the candidates on this machine
/// and writes a plan for the shapes a run trains. Two kernels round differently, so a run's
/// numbers depend on its plan: the run records it (`train.kernels`) and a resume uses it again.
///
/// Text form (config files, snapshots): `fixed`, or `IN×OUT` entries separated by spaces, each
/// `INxOUT:F,I,W` with every letter `t` (tiles) or `b` (OpenBLAS) for the forward, input-gradient
/// and weight-gradient products, e.g. `2x512:t,t,t 512x512:b,b,t`.
public struct KernelPlan: Sendable, Hashable, CustomStringConvertible {
    /// A dense layer's matrix products.
    public enum Product: Int, CaseIterable, Sendable {
        case forward, input, weight
    }

    /// The kernel of one product.
    public enum Choice: String, Sendable, Hashable {
        case tiles = "t", blas = "b"
    }

    /// A dense layer's (fan-in, fan-out).
    public struct Shape: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var fanIn: Int
        public var fanOut: Int

        public init(_ fanIn: Int, _ fanOut: Int) {
            self.fanIn = fanIn
            self.fanOut = fanOut
        }

        public static func < (a: Shape, b: Shape) -> Bool { (a.fanIn, a.fanOut) < (b.fanIn, b.fanOut) }
        public var description: String { "\(fanIn)x\(fanOut)" }

        /// Whether `product` of this shape uses dot products whatever the plan says (a side of
        /// at most 4), so there is nothing to choose.
        public func isThin(_ product: Product) -> Bool {
            product == .input ? fanIn <= 4 : fanOut <= 4
        }
    }

    /// The kernels of every listed shape, in `Product` order.
    public private(set) var choices: [Shape: [Choice]]

    /// The build's fixed rule for every shape.
    public static let fixed = KernelPlan(choices: [:])

    /// Narrower side from which the fixed rule takes OpenBLAS.
    ///
    /// With 8-lane (AVX2) tiles the hand-written product and OpenBLAS's packed kernels were about
    /// equal at width 256 on the machine the rule was set on, and OpenBLAS won above it. With
    /// 16-lane (AVX-512) tiles the hand-written product beat an OpenBLAS running its AVX2 kernels at
    /// every width up to 1024. Machines differ in both respects, which is what `KernelPlanner`
    /// measures.
    #if GANLAB_AVX512
    public static let fixedBLASWidth = 2048
    #else
    public static let fixedBLASWidth = 256
    #endif

    public init(choices: [Shape: [Choice]]) {
        precondition(choices.values.allSatisfy { $0.count == Product.allCases.count }, "a plan entry needs 3 choices")
        self.choices = choices
    }

    /// The fixed rule at a chosen width (tests compare kernels with it: 1 = OpenBLAS everywhere,
    /// `Int.max` = tiles everywhere).
    public static func rule(blasFrom width: Int, shapes: [Shape]) -> KernelPlan {
        KernelPlan(choices: Dictionary(shapes.map { shape in
            (shape, Array(repeating: min(shape.fanIn, shape.fanOut) >= width ? Choice.blas : .tiles, count: 3))
        }, uniquingKeysWith: { first, _ in first }))
    }

    /// The kernel of `product` for a layer of this shape (dot products aside).
    public func choice(_ product: Product, _ shape: Shape) -> Choice {
        if let listed = choices[shape] { return listed[product.rawValue] }
        return min(shape.fanIn, shape.fanOut) >= Self.fixedBLASWidth ? .blas : .tiles
    }

    /// This plan with `shape`'s kernels set.
    public func setting(_ shape: Shape, to kernels: [Choice]) -> KernelPlan {
        var plan = self
        precondition(kernels.count == Product.allCases.count)
        plan.choices[shape] = kernels
        return plan
    }

    /// The text form: `fixed`, or the entries in shape order.
    public var description: String {
        guard !choices.isEmpty else { return "fixed" }
        return choices.sorted { $0.key < $1.key }.map { shape, kernels in
            "\(shape):" + kernels.map(\.rawValue).joined(separator: ",")
        }.joined(separator: " ")
    }

    /// Why a text is not a plan.
    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads the text form (`description`).
    public init(parsing text: String) throws(ParseError) {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        if words == ["fixed"] {
            self = .fixed
            return
        }
        guard !words.isEmpty else { throw ParseError(description: "an empty kernel plan (write fixed, auto or entries like 512x512:b,b,t)") }
        var choices: [Shape: [Choice]] = [:]
        for word in words {
            let parts = word.split(separator: ":", omittingEmptySubsequences: false)
            let sides = parts.first?.split(separator: "x", omittingEmptySubsequences: false) ?? []
            guard parts.count == 2, sides.count == 2,
                  let fanIn = Int(sides[0]), let fanOut = Int(sides[1]), (1...1_000_000).contains(fanIn), (1...1_000_000).contains(fanOut)
            else { throw ParseError(description: "'\(word.prefix(40))' is not IN×OUT:F,I,W (e.g. 512x512:b,b,t)") }
            let kernels = parts[1].split(separator: ",", omittingEmptySubsequences: false).map { Choice(rawValue: String($0)) }
            guard kernels.count == 3, kernels.allSatisfy({ $0 != nil }) else {
                throw ParseError(description: "'\(word.prefix(40))': give three kernels, each t (tiles) or b (OpenBLAS)")
            }
            let shape = Shape(fanIn, fanOut)
            guard choices[shape] == nil else { throw ParseError(description: "shape \(shape) is listed twice") }
            choices[shape] = kernels.compactMap { $0 }
        }
        self.init(choices: choices)
    }
}
