#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// The vector operations the product tiles and Adam use, so one body serves 8 and 16 lanes.
///
/// The arithmetic is implemented by each conformance with its concrete type's operators, which
/// compile to single vector instructions; the generic `SIMD` protocol's own implementations work
/// lane by lane and made the tiles about 5× slower. Loads and stores are plain memory moves and
/// are shared.
protocol TileVector: SIMD where Scalar == Float {
    init(broadcast x: Float)
    /// self + a·b, fused.
    func fma(_ a: Self, _ b: Self) -> Self
    /// z = self + bias, then z > 0 ? z : slope·z.
    func plusLeaky(_ bias: Self, slope: Float) -> Self
    /// act > 0 ? self : slope·self.
    func leakyMasked(by act: Self, slope: Float) -> Self
    /// √self in every lane, correctly rounded (the same bits as `Float.squareRoot`), as one vector
    /// instruction on x86-64. The standard library's `SIMD.squareRoot()` goes lane by lane through
    /// libm's `sqrtf` and its errno check on Linux, which made Adam several times slower.
    func laneSquareRoot() -> Self
}

extension TileVector {
    /// The vector at p (any alignment).
    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Self { UnsafeRawPointer(p).loadUnaligned(as: Self.self) }
    /// Writes the vector at p (any alignment).
    @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self) }
}

extension SIMD8: TileVector where Scalar == Float {
    @inline(__always) init(broadcast x: Float) { self.init(repeating: x) }
    @inline(__always) func laneSquareRoot() -> Self {
#if arch(x86_64)
        _mm256_sqrt_ps(self)
#else
        squareRoot()
#endif
    }
    @inline(__always) func fma(_ a: Self, _ b: Self) -> Self { addingProduct(a, b) }
    @inline(__always) func plusLeaky(_ bias: Self, slope: Float) -> Self {
        let z = self + bias
        return (slope * z).replacing(with: z, where: z .> 0)
    }
    @inline(__always) func leakyMasked(by act: Self, slope: Float) -> Self {
        (slope * self).replacing(with: self, where: act .> 0)
    }
}

extension SIMD16: TileVector where Scalar == Float {
    @inline(__always) init(broadcast x: Float) { self.init(repeating: x) }
    @inline(__always) func laneSquareRoot() -> Self {
#if arch(x86_64) && GANLAB_AVX512
        _mm512_sqrt_ps(self)
#else
        Self(lowHalf: lowHalf.laneSquareRoot(), highHalf: highHalf.laneSquareRoot())
#endif
    }
    @inline(__always) func fma(_ a: Self, _ b: Self) -> Self { addingProduct(a, b) }
    @inline(__always) func plusLeaky(_ bias: Self, slope: Float) -> Self {
        let z = self + bias
        return (slope * z).replacing(with: z, where: z .> 0)
    }
    @inline(__always) func leakyMasked(by act: Self, slope: Float) -> Self {
        (slope * self).replacing(with: self, where: act .> 0)
    }
}
