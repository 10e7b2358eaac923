import GoldTables

/// What ``FeaturePipeline/fit(_:)`` learned: per input column its type at fit and its state
/// (imputation values, means and scales, category lists, reference dates), and the names of the
/// features ``transform(_:)`` produces, in column order.
///
/// Feature names: a numeric or boolean column gives `<column>`; a categorical one
/// `<column>=<category>` …, `<column>=__null__` (if kept), `<column>=__unknown__`; a date one
/// `<column>.age_days` and/or `<column>.dow_0` … `<column>.dow_6` (0 = Monday). Blocks come in
/// the order numeric, boolean, categorical, dates, each in spec order.
///
/// It is a Codable value: saved with a model and loaded by the server, it transforms exactly as
/// it did after fit. Decoding re-validates it (a damaged state is a decoding error).
///
/// ```swift
/// let data = try JSONEncoder().encode(fitted)
/// let back = try JSONDecoder().decode(FittedPipeline.self, from: data)
/// let x = try back.transform(row: ["tenure_months": 12, "contract": "one-year"])
/// ```
public struct FittedPipeline: Sendable, Hashable, Codable {
    public let spec: FeatureSpec
    public let numeric: [FittedNumeric]
    public let boolean: [FittedBoolean]
    public let categorical: [FittedCategorical]
    public let dates: [FittedDate]
    /// Rows of the table it was fitted on.
    public let trainingRows: Int
    /// One name per output column.
    public let featureNames: [String]

    init(spec: FeatureSpec, numeric: [FittedNumeric], boolean: [FittedBoolean],
         categorical: [FittedCategorical], dates: [FittedDate], trainingRows: Int) throws {
        self.spec = spec
        self.numeric = numeric
        self.boolean = boolean
        // With min_frequency 1 nothing seen at fit is infrequent: a state that did not record its
        // infrequent categories (written before they were) still knows them, none.
        self.categorical = try categorical.map { c in
            guard c.infrequent == nil,
                  spec.categorical.first(where: { $0.column.lowercased() == c.column.lowercased() })?.minFrequency == 1
            else { return c }
            return try c.recording(infrequent: [])
        }
        self.dates = dates
        self.trainingRows = trainingRows
        self.featureNames = numeric.flatMap(\.names) + boolean.flatMap(\.names)
            + categorical.flatMap(\.names) + dates.flatMap(\.names)
        try validate()
    }

    /// The input columns and their types at fit (the model's input signature), in feature order.
    public var inputs: [Field] {
        numeric.map { Field($0.column, $0.type) } + boolean.map { Field($0.column, .bool) }
            + categorical.map { Field($0.column, $0.type) } + dates.map { Field($0.column, $0.type) }
    }

    /// The categorical columns whose infrequent categories are not recorded (a package written
    /// before they were, or more than ``FittedCategorical/maxInfrequent`` of them): strict scoring
    /// (``UnknownCategoryPolicy/reject``) cannot tell rare from unseen there and buckets both, so a
    /// server may warn about them when it loads the model.
    public var categoricalColumnsWithoutInfrequent: [String] {
        categorical.filter { $0.infrequent == nil }.map(\.column)
    }

    /// The index of each feature block's first output column, in block order.
    var blockOffsets: (numeric: [Int], boolean: [Int], categorical: [Int], dates: [Int]) {
        var o = 0
        func take(_ widths: [Int]) -> [Int] {
            widths.map { w in defer { o += w }; return o }
        }
        return (take(numeric.map { _ in 1 }), take(boolean.map { _ in 1 }),
                take(categorical.map(\.width)), take(dates.map(\.width)))
    }

    private func validate() throws {
        for n in numeric { try n.transform.validate(n.column) }
        for d in dates {
            try d.ageDays?.validate(d.column)
            guard (d.ageDays != nil) == d.derive.contains(.ageDays), !d.derive.isEmpty else {
                throw FeatureError(column: d.column, "damaged fitted state: age_days state does not match derive")
            }
            switch d.type {
            case .date, .timestamp: break
            default: throw FeatureError(column: d.column, "damaged fitted state: \(d.type.description) is not a date type")
            }
        }
        for n in numeric {
            guard InputKind(n.type)?.isNumeric == true else {
                throw FeatureError(column: n.column, "damaged fitted state: \(n.type.description) is not numeric")
            }
        }
        let names = inputs.map { $0.name.lowercased() }
        guard Set(names).count == names.count else {
            throw FeatureError(column: "features", "damaged fitted state: a column is used twice")
        }
        // Distinct columns can still spell the same feature (a numeric column `c=x` beside a
        // categorical `c` with category `x`; `d.age_days` beside date `d`): models key on names.
        // Compared as bytes, like categories: "é" and "e\u{301}" are two categories, two features.
        var seen = Set<[UInt8]>()
        for name in featureNames where !seen.insert(Array(name.utf8)).inserted {
            throw FeatureError(column: "features", "two features are named '\(name)': rename a column")
        }
    }

    enum CodingKeys: String, CodingKey {
        case spec, numeric, boolean, categorical, dates, trainingRows, featureNames
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(spec: c.decode(FeatureSpec.self, forKey: .spec),
                          numeric: c.decode([FittedNumeric].self, forKey: .numeric),
                          boolean: c.decode([FittedBoolean].self, forKey: .boolean),
                          categorical: c.decode([FittedCategorical].self, forKey: .categorical),
                          dates: c.decode([FittedDate].self, forKey: .dates),
                          trainingRows: c.decode(Int.self, forKey: .trainingRows))
        } catch let e as FeatureError {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: e.description))
        }
        let stored = try c.decode([String].self, forKey: .featureNames)
        guard stored == featureNames else {
            throw DecodingError.dataCorruptedError(forKey: .featureNames, in: c,
                                                   debugDescription: "feature names do not match the fitted state")
        }
    }
}
