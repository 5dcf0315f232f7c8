/// A seeded pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// Every random draw in the lab (weight init, target samples, noise, probe latents) goes through
/// one of these, passed explicitly as `using: &rng`; library code never touches the system RNG.
/// The whole state is four words, so a snapshot can store it and a resumed run continues the
/// exact same stream (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018).
public struct RandomSource: RandomNumberGenerator, Sendable, Equatable {
    /// The generator state; stored in snapshots.
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// Seeds the four state words from `seed` with SplitMix64, as the xoshiro authors recommend.
    public init(seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// Restores a generator from a stored state (as written by a snapshot).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro state must not be all zero")
        self.state = state
    }

    /// The state as an array of four words, for serialisation.
    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    public static func == (a: RandomSource, b: RandomSource) -> Bool { a.state == b.state }

    /// The next 64 random bits (xoshiro256**).
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform Double in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    @inline(__always)
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// A uniform Double in [lo, hi).
    @inline(__always)
    public mutating func nextUniform(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * nextUnitDouble()
    }

    /// A standard normal Double (Box–Muller; one draw per call so the stream never depends on
    /// a hidden cached value — the state words alone describe the generator).
    @inline(__always)
    public mutating func nextGaussian() -> Double {
        // 1 - u lies in (0, 1], so the log is finite.
        let u1 = 1.0 - nextUnitDouble()
        let u2 = nextUnitDouble()
        return (-2.0 * _log(u1)).squareRoot() * _cos(2.0 * Double.pi * u2)
    }

    /// A uniform integer in 0..<n (Lemire's nearly-divisionless method via the stdlib).
    @inline(__always)
    public mutating func nextInt(below n: Int) -> Int {
        precondition(n > 0)
        return Int.random(in: 0..<n, using: &self)
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
