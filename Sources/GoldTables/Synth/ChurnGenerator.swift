#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A synthetic customer-churn table shaped like the IBM Telco churn data, with a label drawn from a
/// known logistic model, so a trained classifier can be checked against the truth.
///
/// Row `i` depends only on `(seed, i)` (its own ``SynthRandom`` stream). Features, in draw order:
/// - `contract`: month-to-month 55 %, one-year 21 %, two-year 24 %.
/// - `tenure_months` (int32, 0…72): 1 % are new customers with tenure 0; otherwise
///   `1 + ⌊72·v⌋` capped at 72, with v = u² (month-to-month), u (one-year), √u (two-year), u ~ U(0,1).
/// - `signup_date`: 2025-01-01 − ⌊30.44·tenure + U(0,30)⌋ days.
/// - `monthly_charges` (float64): 18.25 + 100.5·u, rounded to cents.
/// - `total_charges` (float64): null when tenure is 0 (as in the Telco data); else
///   monthly·tenure·(1 + 0.05·N(0,1)), at least one month's charge, rounded to cents.
/// - `payment_method`: electronic check 34 %, mailed check 23 %, bank transfer (automatic) 22 %,
///   credit card (automatic) 21 %.
/// - `partner` (bool) p = 0.48; `senior` (bool) p = 0.16; `support_calls` (int32) ~ Poisson(1.5).
/// - `last_active` (timestamp[us, UTC]): 2025-01-01T00:00:00Z − U(0, 60 days); independent of the label.
/// - `region`: null 5 %, else north/south/east/west/central uniformly.
/// - `customer_id`: `C` + 8-digit row number from 1 (`C00000042`).
/// - `churned` (bool) ~ Bernoulli(σ(z)), σ(z) = 1/(1+e^(−z)), with
///
///       z = −0.5
///           − 1.1·[contract = one-year] − 2.2·[contract = two-year]
///           − 0.03·tenure_months
///           + 0.15·(monthly_charges − 70)/10
///           + 0.4·senior − 0.3·partner
///           + 0.25·support_calls
///           + 0.5·[payment_method = electronic check]
///
/// (``logit(contract:tenureMonths:monthlyCharges:senior:partner:supportCalls:paymentMethod:)``).
/// The churn rate is about 22 % overall: ≈ 34 % month-to-month, ≈ 13 % one-year, ≈ 3 % two-year.
public struct ChurnGenerator: Sendable {
    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
    }

    public static let contracts = ["month-to-month", "one-year", "two-year"]
    public static let paymentMethods = ["electronic check", "mailed check", "bank transfer (automatic)", "credit card (automatic)"]
    public static let regions = ["north", "south", "east", "west", "central"]
    /// 2025-01-01 in days since the epoch: the snapshot date the data describes.
    public static let referenceDay: Int32 = 20089

    public static let schema = Schema([
        Field("customer_id", .string, nullable: false),
        Field("signup_date", .date, nullable: false),
        Field("tenure_months", .int32, nullable: false),
        Field("monthly_charges", .float64, nullable: false),
        Field("total_charges", .float64),
        Field("contract", .string, nullable: false),
        Field("payment_method", .string, nullable: false),
        Field("partner", .bool, nullable: false),
        Field("senior", .bool, nullable: false),
        Field("support_calls", .int32, nullable: false),
        Field("last_active", .timestamp(unit: .microseconds, utc: true), nullable: false),
        Field("region", .string),
        Field("churned", .bool, nullable: false),
    ])

    /// The model's log-odds of churn (see the type's documentation).
    public static func logit(contract: Int, tenureMonths: Int, monthlyCharges: Double, senior: Bool, partner: Bool,
                             supportCalls: Int, paymentMethod: Int) -> Double {
        var z = -0.5
        if contract == 1 { z -= 1.1 }
        if contract == 2 { z -= 2.2 }
        z -= 0.03 * Double(tenureMonths)
        z += 0.15 * (monthlyCharges - 70) / 10
        if senior { z += 0.4 }
        if partner { z -= 0.3 }
        z += 0.25 * Double(supportCalls)
        if paymentMethod == 0 { z += 0.5 }
        return z
    }

    /// Rows `range` (global row numbers) as a table.
    public func generate(rows range: Range<Int>) -> Table {
        let n = range.count
        var ids = ByteArrayBuffer(), contract = ByteArrayBuffer(), payment = ByteArrayBuffer(), region = ByteArrayBuffer()
        ids.reserve(values: n, bytes: n * 9)
        contract.reserve(values: n, bytes: n * 14)
        payment.reserve(values: n, bytes: n * 20)
        region.reserve(values: n, bytes: n * 5)
        var signup = [Int32](), tenure = [Int32](), monthly = [Double](), total = [Double](), partner = [Bool]()
        var senior = [Bool](), calls = [Int32](), lastActive = [Int64](), churned = [Bool]()
        var totalValid = [Bool](), regionValid = [Bool]()
        signup.reserveCapacity(n); tenure.reserveCapacity(n); monthly.reserveCapacity(n); total.reserveCapacity(n)
        partner.reserveCapacity(n); senior.reserveCapacity(n); calls.reserveCapacity(n); lastActive.reserveCapacity(n)
        churned.reserveCapacity(n); totalValid.reserveCapacity(n); regionValid.reserveCapacity(n)
        let refMicros = Int64(Self.referenceDay) * 86_400_000_000
        let sixtyDays = 60.0 * 86_400_000_000

        for row in range {
            var r = SynthRandom(seed: seed, stream: UInt64(row))
            let uc = r.uniform()
            let c = uc < 0.55 ? 0 : (uc < 0.76 ? 1 : 2)
            let isNew = r.bernoulli(0.01)
            let u = r.uniform()
            var t = 0
            if !isNew {
                let v = c == 0 ? u * u : (c == 1 ? u : u.squareRoot())
                t = min(72, 1 + Int(72 * v))
            }
            let signupDay = Int32(Self.referenceDay) - Int32(30.44 * Double(t) + 30 * r.uniform())
            let m = ((18.25 + 100.5 * r.uniform()) * 100).rounded() / 100
            let noise = r.normal()
            let tc = t == 0 ? 0 : max(m, (m * Double(t) * (1 + 0.05 * noise) * 100).rounded() / 100)
            let up = r.uniform()
            let pm = up < 0.34 ? 0 : (up < 0.57 ? 1 : (up < 0.79 ? 2 : 3))
            let isPartner = r.bernoulli(0.48)
            let isSenior = r.bernoulli(0.16)
            let k = r.poisson(1.5)
            let active = refMicros - Int64(sixtyDays * r.uniform())
            let regionNull = r.bernoulli(0.05)
            let reg = r.below(Self.regions.count)
            let z = Self.logit(contract: c, tenureMonths: t, monthlyCharges: m, senior: isSenior, partner: isPartner,
                               supportCalls: k, paymentMethod: pm)
            let label = r.uniform() < 1 / (1 + exp(-z))

            synthID(UInt8(ascii: "C"), row + 1, width: 8, into: &ids)
            signup.append(signupDay)
            tenure.append(Int32(t))
            monthly.append(m)
            total.append(tc)
            totalValid.append(t != 0)
            contract.append(Self.contracts[c])
            payment.append(Self.paymentMethods[pm])
            partner.append(isPartner)
            senior.append(isSenior)
            calls.append(Int32(k))
            lastActive.append(active)
            if regionNull { region.appendEmpty() } else { region.append(Self.regions[reg]) }
            regionValid.append(!regionNull)
            churned.append(label)
        }
        let f = Self.schema.fields
        let cols = [
            Column(f[0], data: .bytes(ids)),
            Column(f[1], data: .int32(signup)),
            Column(f[2], data: .int32(tenure)),
            Column(f[3], data: .double(monthly)),
            Column(f[4], data: .double(total), validity: totalValid),
            Column(f[5], data: .bytes(contract)),
            Column(f[6], data: .bytes(payment)),
            Column(f[7], data: .bool(partner)),
            Column(f[8], data: .bool(senior)),
            Column(f[9], data: .int32(calls)),
            Column(f[10], data: .int64(lastActive)),
            Column(f[11], data: .bytes(region), validity: regionValid),
            Column(f[12], data: .bool(churned)),
        ]
        // Every column has `n` rows and the names are distinct, so this cannot fail.
        return (try? Table(cols)) ?? Table(empty: Self.schema)
    }
}
