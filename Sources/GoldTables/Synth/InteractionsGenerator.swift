#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Synthetic user–item interactions for recommender work: a low-rank preference structure, Zipf
/// item popularity, implicit counts and explicit 1–5 ratings.
///
/// Model (all draws from ``SynthRandom``; `d` = ``rank`` = 8):
/// - Users `u00000…` (``users``, default max(50, rows/25)) and items `i0000…` (``items``, default
///   max(20, rows/100)); ids are zero-padded to at least 5 (users) / 4 (items) digits.
/// - Latent factors: user vector p_u and item vector q_i with entries N(0, 1/√d) drawn from the
///   streams `(seed, 2^40 + u)` and `(seed, 2^41 + i)`; item bias b_i = 0.3·N(0,1) from the item stream.
///   The affinity s(u,i) = p_u·q_i + b_i has variance ≈ 1.09.
/// - Each row (its own stream `(seed, row)`): user with P(u) ∝ (u+1)^−0.5 (mild activity skew);
///   item: ``candidates`` (32) candidates drawn with P(i) ∝ (i+1)^−1.1 (Zipf popularity: item
///   `i0000` is the most popular), then one of them chosen with probability ∝ exp(β·s(u,i)),
///   β = ``choiceSharpness`` (2), by the Gumbel-max trick. So what a user meets follows both
///   popularity and their own taste (approximately P(i | u) ∝ (i+1)^−1.1 · exp(β·s(u,i))), which is
///   what a recommender can learn beyond the popular items;
///   timestamp = 2024-01-01T00:00:00Z + U(0, 180 days) in µs (UTC),
///   count = 1 + Poisson(exp(0.5·s)) (implicit feedback, int64),
///   rating = clamp(round(3 + s + 0.5·N(0,1)), 1, 5) (explicit feedback, int32).
/// Pairs repeat (the same user may meet the same item again), as in raw event logs.
public struct InteractionsGenerator: Sendable {
    public let seed: UInt64
    public let users: Int
    public let items: Int
    public let rank: Int
    /// Popularity-drawn candidates per event among which the user's taste picks the item.
    public static let candidates = 32
    /// β: how strongly affinity decides among the candidates.
    public static let choiceSharpness = 2.0

    /// 2024-01-01T00:00:00Z in microseconds.
    public static let startMicros: Int64 = 1_704_067_200_000_000
    public static let windowMicros: Double = 180 * 86_400_000_000

    public static let schema = Schema([
        Field("user_id", .string, nullable: false),
        Field("item_id", .string, nullable: false),
        Field("timestamp", .timestamp(unit: .microseconds, utc: true), nullable: false),
        Field("count", .int64, nullable: false),
        Field("rating", .int32, nullable: false),
    ])

    private let userFactors: [Double]  // users × rank
    private let itemFactors: [Double]  // items × rank
    private let itemBias: [Double]
    private let userCDF: [Double]
    private let itemCDF: [Double]

    /// A generator sized for `rows` rows (sets the default user and item counts).
    public init(seed: UInt64, rows: Int, users: Int? = nil, items: Int? = nil, rank: Int = 8) {
        self.seed = seed
        self.users = max(1, users ?? max(50, rows / 25))
        self.items = max(1, items ?? max(20, rows / 100))
        self.rank = max(1, rank)
        let sd = pow(Double(self.rank), -0.25)
        var uf = [Double]()
        uf.reserveCapacity(self.users * self.rank)
        for u in 0 ..< self.users {
            var r = SynthRandom(seed: seed, stream: (1 << 40) + UInt64(u))
            for _ in 0 ..< self.rank { uf.append(sd * r.normal()) }
        }
        var itf = [Double]()
        var bias = [Double]()
        itf.reserveCapacity(self.items * self.rank)
        for i in 0 ..< self.items {
            var r = SynthRandom(seed: seed, stream: (1 << 41) + UInt64(i))
            for _ in 0 ..< self.rank { itf.append(sd * r.normal()) }
            bias.append(0.3 * r.normal())
        }
        userFactors = uf
        itemFactors = itf
        itemBias = bias
        userCDF = Self.cdf(count: self.users, exponent: 0.5)
        itemCDF = Self.cdf(count: self.items, exponent: 1.1)
    }

    private static func cdf(count: Int, exponent: Double) -> [Double] {
        var c = [Double]()
        c.reserveCapacity(count)
        var s = 0.0
        for k in 0 ..< count {
            s += pow(Double(k + 1), -exponent)
            c.append(s)
        }
        return c.map { $0 / s }
    }

    private static func sample(_ cdf: [Double], _ u: Double) -> Int {
        var lo = 0, hi = cdf.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cdf[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// The latent affinity s(u, i) = p_u·q_i + b_i.
    public func affinity(user: Int, item: Int) -> Double {
        var s = itemBias[item]
        for k in 0 ..< rank { s += userFactors[user * rank + k] * itemFactors[item * rank + k] }
        return s
    }

    /// The item of one event: the candidate maximising β·s(u,i) + Gumbel noise, i.e. a draw from
    /// the candidates with probability ∝ exp(β·s(u,i)).
    private func chooseItem(user u: Int, random r: inout SynthRandom) -> Int {
        var best = 0, bestScore = -Double.infinity
        for _ in 0 ..< Self.candidates {
            let i = Self.sample(itemCDF, r.uniform())
            let gumbel = -log(-log(max(r.uniform(), Double.leastNormalMagnitude)))
            let score = Self.choiceSharpness * affinity(user: u, item: i) + gumbel
            if score > bestScore {
                best = i
                bestScore = score
            }
        }
        return best
    }

    /// Rows `range` (global row numbers) as a table.
    public func generate(rows range: Range<Int>) -> Table {
        let n = range.count
        var uid = ByteArrayBuffer(), iid = ByteArrayBuffer()
        uid.reserve(values: n, bytes: n * 6)
        iid.reserve(values: n, bytes: n * 5)
        var ts = [Int64](), counts = [Int64](), ratings = [Int32]()
        ts.reserveCapacity(n); counts.reserveCapacity(n); ratings.reserveCapacity(n)
        let uWidth = max(5, String(users - 1).count)
        let iWidth = max(4, String(items - 1).count)
        for row in range {
            var r = SynthRandom(seed: seed, stream: UInt64(row))
            let u = Self.sample(userCDF, r.uniform())
            let i = chooseItem(user: u, random: &r)
            let t = Self.startMicros + Int64(Self.windowMicros * r.uniform())
            let s = affinity(user: u, item: i)
            let count = 1 + r.poisson(exp(0.5 * s))
            let rating = min(5, max(1, (3 + s + 0.5 * r.normal()).rounded()))
            synthID(UInt8(ascii: "u"), u, width: uWidth, into: &uid)
            synthID(UInt8(ascii: "i"), i, width: iWidth, into: &iid)
            ts.append(t)
            counts.append(Int64(count))
            ratings.append(Int32(rating))
        }
        let f = Self.schema.fields
        let cols = [
            Column(f[0], data: .bytes(uid)), Column(f[1], data: .bytes(iid)), Column(f[2], data: .int64(ts)),
            Column(f[3], data: .int64(counts)), Column(f[4], data: .int32(ratings)),
        ]
        return (try? Table(cols)) ?? Table(empty: Self.schema)
    }
}
