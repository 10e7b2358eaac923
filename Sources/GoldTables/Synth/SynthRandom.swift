#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small, fast, seedable pseudo-random generator (SplitMix64, Steele/Lea/Flood 2014) with the
/// draws the synthetic-data generators need. The integer and uniform streams are identical on every
/// platform and Swift version (no `SystemRandomNumberGenerator`, no `Double.random`); `normal()` and
/// `poisson(_:)` go through the C library's `log`/`cos`/`exp`, so another libm could differ in a last
/// bit on rare draws.
///
/// Each generated row draws from its own stream `SynthRandom(seed: s, stream: row)`, so a row's values
/// depend only on the seed and its index: generating rows 0..<1000 in one go or in chunks gives the
/// same table.
public struct SynthRandom: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// An independent stream per `(seed, stream)` pair.
    public init(seed: UInt64, stream: UInt64) {
        var s = SynthRandom(seed: seed ^ 0x6A09_E667_F3BC_C909)
        let a = s.next()
        var t = SynthRandom(seed: stream &+ 0xBB67_AE85_84CA_A73B)
        state = a ^ t.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform integer in 0..<n (n > 0), by the multiply-high method.
    public mutating func below(_ n: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    public mutating func bernoulli(_ p: Double) -> Bool {
        uniform() < p
    }

    /// Standard normal (Box–Muller; one value per call).
    public mutating func normal() -> Double {
        let u1 = 1.0 - uniform()  // (0, 1]
        let u2 = uniform()
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

    /// Poisson(λ): Knuth's product method for λ < 30, a rounded normal approximation above.
    public mutating func poisson(_ lambda: Double) -> Int {
        if lambda <= 0 { return 0 }
        if lambda < 30 {
            let limit = exp(-lambda)
            var k = 0
            var p = uniform()
            while p > limit {
                k += 1
                p *= uniform()
            }
            return k
        }
        return max(0, Int((lambda + lambda.squareRoot() * normal()).rounded()))
    }
}

/// Appends `prefix` and `value` zero-padded to `width` digits (`u00042`).
func synthID(_ prefix: UInt8, _ value: Int, width: Int, into out: inout ByteArrayBuffer) {
    out.bytes.append(prefix)
    var digits: [UInt8] = []
    var v = value
    repeat {
        digits.append(UInt8(v % 10) + 0x30)
        v /= 10
    } while v > 0
    if digits.count < width { for _ in digits.count ..< width { out.bytes.append(0x30) } }
    out.bytes.append(contentsOf: digits.reversed())
    out.offsets.append(out.bytes.count)
}
