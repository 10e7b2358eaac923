#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Summary statistics of one column, as `mltrack gold stats` prints them.
public struct ColumnSummary: Sendable, Hashable {
    public var name: String
    public var type: DataType
    public var nulls: Int
    /// Smallest and largest non-null value (NaN ignored; strings and binary by bytes); nil when the
    /// column has no such value, and for nested (json) columns.
    public var min: Value?
    public var max: Value?
    /// Number of distinct non-null values: exact up to ``TableSummary/exactDistinctLimit`` distinct
    /// values (64-bit hashes in a set), then a HyperLogLog estimate (2^14 registers, ≈ 0.8 % standard
    /// error); ``distinctExact`` says which.
    public var distinct: Int
    public var distinctExact: Bool
}

/// Row count and per-column summaries of a table, computed in one streaming pass.
///
/// ```swift
/// let s = try TableSummary.compute(try table.scan(columns: nil))
/// print(s.rows, s.columns.map(\.nulls))
/// ```
public struct TableSummary: Sendable, Hashable {
    public static let exactDistinctLimit = 100_000

    public var rows: Int
    public var columns: [ColumnSummary]

    public static func compute(_ stream: any BatchStream, exactDistinctLimit: Int = exactDistinctLimit) throws -> TableSummary {
        let schema = stream.schema
        var acc = schema.fields.map { ColumnAccumulator(field: $0, limit: exactDistinctLimit) }
        var rows = 0
        while let batch = try stream.next() {
            rows += batch.rowCount
            for (i, c) in batch.columns.enumerated() where i < acc.count { acc[i].add(c) }
        }
        return TableSummary(rows: rows, columns: acc.map(\.summary))
    }
}

/// Orders two non-null values of the same column type.
func summaryLess(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.bool(let x), .bool(let y)): return !x && y
    case (.int(let x), .int(let y)): return x < y
    case (.float(let x), .float(let y)): return x < y
    case (.double(let x), .double(let y)): return x < y
    case (.string(let x), .string(let y)): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
    case (.json(let x), .json(let y)): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
    case (.binary(let x), .binary(let y)): return x.lexicographicallyPrecedes(y)
    case (.date(let x), .date(let y)): return x < y
    case (.timestamp(let x, _, _), .timestamp(let y, _, _)): return x < y
    case (.decimal(let x, _), .decimal(let y, _)): return x < y
    default: return false
    }
}

struct ColumnAccumulator {
    let field: Field
    let limit: Int
    var nulls = 0
    var minV: Value?
    var maxV: Value?
    var exact: Set<UInt64>? = []
    var hll = [UInt8](repeating: 0, count: 1 << 14)

    init(field: Field, limit: Int) {
        self.field = field
        self.limit = limit
    }

    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always) static func hashBytes(_ s: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return mix(h ^ UInt64(s.count))
    }

    mutating func insert(_ h: UInt64) {
        if exact != nil {
            exact?.insert(h)
            if let e = exact, e.count > limit {
                for x in e { hllAdd(x) }
                exact = nil
            }
        } else {
            hllAdd(h)
        }
    }

    @inline(__always) mutating func hllAdd(_ h: UInt64) {
        let idx = Int(h >> 50)
        let rest = h << 14 | (1 << 13)
        let rank = UInt8(rest.leadingZeroBitCount + 1)
        if rank > hll[idx] { hll[idx] = rank }
    }

    mutating func consider(_ v: Value) {
        if let m = minV { if summaryLess(v, m) { minV = v } } else { minV = v }
        if let m = maxV { if summaryLess(m, v) { maxV = v } } else { maxV = v }
    }

    mutating func add(_ c: Column) {
        nulls += c.nullCount
        let n = c.count
        func valid(_ i: Int) -> Bool { !c.isNull(i) }
        switch c.data {
        case .bool(let v):
            var seen = [false, false]
            for i in 0 ..< n where valid(i) { seen[v[i] ? 1 : 0] = true }
            for (k, s) in seen.enumerated() where s {
                insert(UInt64(k))
                consider(.bool(k == 1))
            }
        case .int32(let v):
            var lo = Int32.max, hi = Int32.min, any = false
            for i in 0 ..< n where valid(i) {
                let x = v[i]
                any = true
                if x < lo { lo = x }
                if x > hi { hi = x }
                insert(Self.mix(UInt64(bitPattern: Int64(x))))
            }
            if any {
                consider(field.type == .date ? .date(lo) : .int(Int64(lo)))
                consider(field.type == .date ? .date(hi) : .int(Int64(hi)))
            }
        case .int64(let v):
            var lo = Int64.max, hi = Int64.min, any = false
            for i in 0 ..< n where valid(i) {
                let x = v[i]
                any = true
                if x < lo { lo = x }
                if x > hi { hi = x }
                insert(Self.mix(UInt64(bitPattern: x)))
            }
            if any {
                if case .timestamp(let unit, let utc) = field.type {
                    consider(.timestamp(lo, unit, utc: utc))
                    consider(.timestamp(hi, unit, utc: utc))
                } else {
                    consider(.int(lo))
                    consider(.int(hi))
                }
            }
        case .float(let v):
            var lo = Float.infinity, hi = -Float.infinity, any = false
            for i in 0 ..< n where valid(i) {
                let x = v[i]
                insert(Self.mix(UInt64(x == 0 ? 0 : (x.isNaN ? Float.nan.bitPattern : x.bitPattern))))
                guard !x.isNaN else { continue }
                any = true
                if x < lo { lo = x }
                if x > hi { hi = x }
            }
            if any {
                consider(.float(lo))
                consider(.float(hi))
            }
        case .double(let v):
            var lo = Double.infinity, hi = -Double.infinity, any = false
            for i in 0 ..< n where valid(i) {
                let x = v[i]
                insert(Self.mix(x == 0 ? 0 : (x.isNaN ? Double.nan.bitPattern : x.bitPattern)))
                guard !x.isNaN else { continue }
                any = true
                if x < lo { lo = x }
                if x > hi { hi = x }
            }
            if any {
                consider(.double(lo))
                consider(.double(hi))
            }
        case .decimal(let v):
            var lo = Int128.max, hi = Int128.min, any = false
            for i in 0 ..< n where valid(i) {
                let x = v[i]
                any = true
                if x < lo { lo = x }
                if x > hi { hi = x }
                insert(Self.mix(UInt64(truncatingIfNeeded: x) ^ Self.mix(UInt64(truncatingIfNeeded: x >> 64))))
            }
            if any, case .decimal(_, let s) = field.type {
                consider(.decimal(unscaled: lo, scale: s))
                consider(.decimal(unscaled: hi, scale: s))
            }
        case .bytes(let b):
            var lo: ArraySlice<UInt8>? = nil, hi: ArraySlice<UInt8>? = nil
            for i in 0 ..< n where valid(i) {
                let s = b.slice(i)
                insert(Self.hashBytes(s))
                if let l = lo { if s.lexicographicallyPrecedes(l) { lo = s } } else { lo = s }
                if let h = hi { if h.lexicographicallyPrecedes(s) { hi = s } } else { hi = s }
            }
            if let lo { consider(bytesValue(lo)) }
            if let hi { consider(bytesValue(hi)) }
        case .dictionary(let idx, let dict):
            var used = [Bool](repeating: false, count: dict.count)
            for i in 0 ..< n where valid(i) {
                let k = Int(idx[i])
                if k >= 0 && k < used.count { used[k] = true }
            }
            var lo: ArraySlice<UInt8>? = nil, hi: ArraySlice<UInt8>? = nil
            for k in 0 ..< dict.count where used[k] {
                let s = dict.slice(k)
                insert(Self.hashBytes(s))
                if let l = lo { if s.lexicographicallyPrecedes(l) { lo = s } } else { lo = s }
                if let h = hi { if h.lexicographicallyPrecedes(s) { hi = s } } else { hi = s }
            }
            if let lo { consider(bytesValue(lo)) }
            if let hi { consider(bytesValue(hi)) }
        }
    }

    func bytesValue(_ s: ArraySlice<UInt8>) -> Value {
        switch field.type {
        case .binary: .binary(Array(s))
        case .json: .json(String(decoding: s, as: UTF8.self))
        default: .string(String(decoding: s, as: UTF8.self))
        }
    }

    var distinctEstimate: Int {
        let m = Double(hll.count)
        var sum = 0.0
        var zeros = 0
        for r in hll {
            sum += 1 / Double(UInt64(1) << UInt64(r))
            if r == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        let e = alpha * m * m / sum
        if e <= 2.5 * m, zeros > 0 { return Int((m * log(m / Double(zeros))).rounded()) }
        return Int(e.rounded())
    }

    var summary: ColumnSummary {
        var ordered = true
        if case .json = field.type { ordered = false }  // nested values have no useful order
        return ColumnSummary(name: field.name, type: field.type, nulls: nulls, min: ordered ? minV : nil, max: ordered ? maxV : nil,
                      distinct: exact?.count ?? distinctEstimate, distinctExact: exact != nil)
    }
}
