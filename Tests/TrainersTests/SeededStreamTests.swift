import Testing
@testable import Trainers

/// The seeded streams behind splits and ALS's starting factors are pinned to SplitMix64's output
/// from Steele, Lea & Flood's reference algorithm (seed 1234567 → 6457827717110365317,
/// 3203168211198807973, 9817491932198370423; also computed by a separate Python transcription),
/// so a refactoring cannot silently change which rows a seed selects or where ALS starts.
@Suite struct SeededStreamTests {
    static let reference: [UInt64] = [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423]

    @Test func splitGeneratorIsSplitMix64() {
        var g = SplitGenerator(seed: 1_234_567)
        #expect((0 ..< 3).map { _ in g.next() } == Self.reference)
    }

    @Test func alsStartingFactorsAreSplitMix64Draws() {
        // Stream 0 starts SplitMix64 at seed + 1·0xD1B54A32D192ED03.
        let seed = UInt64(1_234_567) &- 0xD1B5_4A32_D192_ED03
        let m = ALS.initialFactors(rows: 1, factors: 3, seed: seed, stream: 0)
        #expect(m.values == Self.reference.map { Float($0 >> 40) * 0x1p-24 * 0.01 })
    }
}
