import Foundation
import ModelPackage
import Testing

/// JSON state is only as exact as Foundation's encoder and decoder: check that finite Doubles
/// and Floats of any bit pattern come back bit for bit through a package's JSON state.
@Suite struct JSONExactnessTests {
    struct Numbers: PackageableModel, Codable {
        static let flavor = "numbers"
        static let formatVersion = 1
        var doubles: [Double]
        var floats: [Float]
    }

    @Test func finiteDoublesAndFloatsRoundTripBitExact() throws {
        var g = SeededGenerator(seed: 77)
        var doubles: [Double] = [0.1, 1 / 3, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 2.2250738585072014e-308]
        while doubles.count < 3000 {
            let d = Double(bitPattern: g.next())
            if d.isFinite { doubles.append(d) }
        }
        var floats: [Float] = [0.1, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        while floats.count < 3000 {
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: g.next()))
            if f.isFinite { floats.append(f) }
        }
        let dir = try TestPaths.tempDir("modelpkg").appendingPathComponent("m")
        try ModelPackage.save(model: Numbers(doubles: doubles, floats: floats), signature: nil, lineage: nil, to: dir)
        let back = try ModelPackage.load(from: dir).model(as: Numbers.self)
        #expect(back.doubles.map(\.bitPattern) == doubles.map(\.bitPattern))
        #expect(back.floats.map(\.bitPattern) == floats.map(\.bitPattern))
    }
}
