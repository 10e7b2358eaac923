import Foundation
import Yams

/// Which columns of a table become features and how: numeric, boolean, categorical and
/// date/timestamp columns, plus an explicit `drop` list of columns never to use (ids, the label).
/// Decoded from YAML (or JSON, or as part of an experiment spec) strictly: an unknown key, a bad
/// value, a column listed twice or both used and dropped is an error naming the field.
///
/// Features come out in a fixed order: the `numeric` entries, then `boolean`, `categorical` and
/// `dates`, each list in its written order (see ``FittedPipeline/featureNames``).
///
/// ```swift
/// let spec = try FeatureSpec(yaml: """
///     numeric: [tenure_months, {column: total_charges, impute: median, standardize: true}]
///     categorical: [{column: contract, min_frequency: 10}]
///     drop: [customer_id, churned]
///     """)
/// let fitted = try FeaturePipeline(spec).fit(table)
/// ```
public struct FeatureSpec: Sendable, Hashable, Codable {
    public var numeric: [NumericFeatureSpec]
    public var boolean: [BooleanFeatureSpec]
    public var categorical: [CategoricalFeatureSpec]
    public var dates: [DateFeatureSpec]
    /// Columns the features never use; listing one here and in another list is an error.
    public var drop: [String]

    /// A validated spec; throws naming a column listed twice, or both used and dropped.
    public init(numeric: [NumericFeatureSpec] = [], boolean: [BooleanFeatureSpec] = [],
                categorical: [CategoricalFeatureSpec] = [], dates: [DateFeatureSpec] = [],
                drop: [String] = []) throws {
        self.numeric = numeric
        self.boolean = boolean
        self.categorical = categorical
        self.dates = dates
        self.drop = drop
        if let (field, message) = problem() { throw FeatureError(column: field, message) }
    }

    /// Parses YAML text; every error is a ``FeatureError`` naming the field (`dates[0].reference`).
    public init(yaml: String) throws {
        do {
            self = try YAMLDecoder().decode(FeatureSpec.self, from: yaml)
        } catch let e as DecodingError {
            throw FeatureError(decoding: e)
        } catch let e as FeatureError {
            throw e
        } catch {
            throw FeatureError(column: "spec", "not valid YAML: \(error)")
        }
    }

    /// Reads and parses a YAML file.
    public static func load(path: String) throws -> FeatureSpec {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FeatureError(column: path, "cannot read the feature spec: \(error.localizedDescription)")
        }
        do {
            return try FeatureSpec(yaml: text)
        } catch let e as FeatureError {
            throw FeatureError(column: "\(path): \(e.column)", e.message)
        }
    }

    /// The spec as YAML (decodes back to an equal spec).
    public func yaml() throws -> String { try YAMLEncoder().encode(self) }

    /// Every column a feature reads, in feature order.
    public var usedColumns: [String] {
        numeric.map(\.column) + boolean.map(\.column) + categorical.map(\.column) + dates.map(\.column)
    }

    private static let sections = ["numeric", "boolean", "categorical", "dates", "drop"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: SpecKey.self)
        try c.rejectUnknownKeys(Self.sections)
        numeric = try c.optional([NumericFeatureSpec].self, "numeric") ?? []
        boolean = try c.optional([BooleanFeatureSpec].self, "boolean") ?? []
        categorical = try c.optional([CategoricalFeatureSpec].self, "categorical") ?? []
        dates = try c.optional([DateFeatureSpec].self, "dates") ?? []
        drop = try c.optional([String].self, "drop") ?? []
        if let (field, message) = problem() {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath + [SpecKey(field)], debugDescription: message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        if !numeric.isEmpty { try c.encode(numeric, forKey: SpecKey("numeric")) }
        if !boolean.isEmpty { try c.encode(boolean, forKey: SpecKey("boolean")) }
        if !categorical.isEmpty { try c.encode(categorical, forKey: SpecKey("categorical")) }
        if !dates.isEmpty { try c.encode(dates, forKey: SpecKey("dates")) }
        if !drop.isEmpty { try c.encode(drop, forKey: SpecKey("drop")) }
    }

    /// The first cross-entry problem: (field path, message), or nil.
    private func problem() -> (String, String)? {
        var seen: [String: String] = [:]  // lowercased column → where it was first listed
        let lists: [(String, [String])] = [
            ("numeric", numeric.map(\.column)), ("boolean", boolean.map(\.column)),
            ("categorical", categorical.map(\.column)), ("dates", dates.map(\.column)),
        ]
        for (section, columns) in lists {
            for (i, column) in columns.enumerated() {
                let key = column.lowercased()
                if let first = seen[key] {
                    return ("\(section)[\(i)]", "column '\(column)' is already used by \(first)")
                }
                seen[key] = "\(section)[\(i)]"
            }
        }
        var dropped = Set<String>()
        for (i, column) in drop.enumerated() {
            let key = column.lowercased()
            if let first = seen[key] {
                return ("drop[\(i)]", "column '\(column)' is dropped but used by \(first)")
            }
            guard dropped.insert(key).inserted else { return ("drop[\(i)]", "column '\(column)' is listed twice") }
        }
        if seen.isEmpty { return ("spec", "no features: list at least one numeric, boolean, categorical or dates column") }
        return nil
    }
}
