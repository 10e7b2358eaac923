import GoldTables

/// SplitMix64 with our own bounded draw, so a split depends only on its seed (not on the
/// standard library's sampling algorithm, which may change between toolchains).
struct SplitGenerator {
    /// The raw 64-bit stream: GoldTables' SplitMix64.
    private var source: SynthRandom

    init(seed: UInt64) { source = SynthRandom(seed: seed) }

    /// A generator for stream `stream` of `seed` (per-user streams are independent of order).
    init(seed: UInt64, stream: UInt64) {
        var g = SynthRandom(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        source = SynthRandom(seed: g.next())
    }

    mutating func next() -> UInt64 { source.next() }

    /// Uniform in 0 ..< bound (bound > 0), Lemire's multiply-and-reject.
    mutating func below(_ bound: Int) -> Int {
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Moves `k` uniformly chosen elements of `a` to its front (partial Fisher–Yates).
    mutating func choose<T>(_ k: Int, from a: inout [T]) {
        for j in 0 ..< min(k, a.count) {
            a.swapAt(j, j + below(a.count - j))
        }
    }
}
