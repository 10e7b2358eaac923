/// SplitMix64 with our own bounded draw, so a split depends only on its seed (not on the
/// standard library's sampling algorithm, which may change between toolchains).
struct SplitGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator for stream `stream` of `seed` (per-user streams are independent of order).
    init(seed: UInt64, stream: UInt64) {
        var g = SplitGenerator(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        state = g.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

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
