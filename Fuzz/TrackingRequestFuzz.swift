import Foundation

/// libFuzzer entry point over the tracking server's request parser: `APIParameters(json:)` (which
/// runs `WireValue.parse`) on the raw body, then every typed accessor the routes use on every field
/// and on every nested message, as a route would read them. Checks, besides "no crash, no hang, no
/// unbounded recursion":
/// - what the parser accepts, written back by `WireValue.bytes()`, parses again to the same value
///   (the server's JSON writer and reader agree; object keys compared sorted);
/// - an accepted body is a JSON object, and Foundation's parser accepts it too.
@_cdecl("LLVMFuzzerTestOneInput")
public func trackingRequestFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let params = try? APIParameters(json: bytes) else { return 0 }
    guard case let .json(fields) = params.source else { fatalError("a JSON body read as a query") }
    if !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
        guard let value = try? WireValue.parse(bytes) else { fatalError("APIParameters accepted what WireValue refuses") }
        if (try? JSONSerialization.jsonObject(with: Data(bytes), options: [])) == nil {
            fatalError("accepted text Foundation rejects: \(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
        let written = value.bytes()
        guard let again = try? WireValue.parse(written) else {
            fatalError("written-back JSON does not parse: \(String(decoding: written, as: UTF8.self).debugDescription)")
        }
        // Decoded objects do not keep the document's key order: compare with sorted keys.
        if canonical(again).bytes() != canonical(value).bytes() {
            fatalError("round trip changed the value: \(String(decoding: written, as: UTF8.self))")
        }
    }
    read(params, keys: Array(fields.keys), depth: 0)
    return 0
}

/// `v` with every object's keys sorted.
func canonical(_ v: WireValue) -> WireValue {
    switch v {
    case let .array(items): return .array(items.map(canonical))
    case let .object(pairs): return .object(pairs.sorted { $0.0 < $1.0 }.map { ($0.0, canonical($0.1)) })
    default: return v
    }
}

/// Every accessor on every key, recursing into nested messages (bounded).
func read(_ p: APIParameters, keys: [String], depth: Int) {
    for k in keys + ["run_id", "key", "value", "timestamp", "step", "metrics", "params", "tags", "dataset"] {
        _ = p.has(k)
        _ = try? p.string(k)
        _ = try? p.requiredString(k)
        _ = try? p.int64(k)
        _ = try? p.double(k)
        _ = try? p.bool(k)
        _ = try? p.strings(k)
        _ = try? p.runId()
        if depth < 4 {
            if let nested = try? p.object(k), case let .json(f) = nested.source { read(nested, keys: Array(f.keys), depth: depth + 1) }
            for item in (try? p.objects(k)) ?? [] {
                if case let .json(f) = item.source { read(item, keys: Array(f.keys), depth: depth + 1) }
            }
        }
    }
}
