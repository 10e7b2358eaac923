import Foundation

/// libFuzzer entry point over the scoring-request row parser (`FeatureValue.row(json:)`), the one
/// hand-written parser that untrusted HTTP bodies reach. Checks, besides "no crash, no hang":
/// - what we accept is valid JSON: Foundation's parser accepts it too, as an object with the same keys;
/// - what we accept re-encodes (JSONEncoder) to text we parse back to the same row.
@_cdecl("LLVMFuzzerTestOneInput")
public func featureRowFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Data(bytes: data, count: size)
    guard let row = try? FeatureValue.row(json: input) else { return 0 }
    guard let object = (try? JSONSerialization.jsonObject(with: input, options: [])) as? [String: Any] else {
        fatalError("accepted text Foundation rejects: \(String(decoding: input, as: UTF8.self).debugDescription)")
    }
    if Set(object.keys) != Set(row.keys) {
        fatalError("keys differ from Foundation's: \(Set(object.keys)) vs \(Set(row.keys))")
    }
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    guard let text = try? encoder.encode(row), let again = try? FeatureValue.row(json: text) else {
        fatalError("re-encoded row does not parse")
    }
    for (k, v) in row {
        let w = again[k]
        switch (v, w) {
        case (.number(let a), .number(let b)) where a.isInfinite || a.isNaN: _ = b
        case (.number(let a), .string) where a.isInfinite || a.isNaN: break
        default:
            if w != v { fatalError("round trip changed \(k): \(v) vs \(String(describing: w))") }
        }
    }
    return 0
}
