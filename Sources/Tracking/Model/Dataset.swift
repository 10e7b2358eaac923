/// A dataset a run read (MLflow's `Dataset`): name, digest (≤ 36 characters), source type, and JSON
/// texts for source, schema and profile. Deduplicated per experiment by (name, digest).
///
/// ```swift
/// let ds = Dataset(name: "customers", digest: "3f2a…", sourceType: "delta",
///                  source: #"{"uri": "Experiments/data/customers", "version": 3}"#)
/// ```
public struct Dataset: Codable, Sendable, Hashable {
    public var name: String
    public var digest: String
    public var sourceType: String
    /// JSON text.
    public var source: String
    /// JSON text, if any.
    public var schema: String?
    /// JSON text, if any (e.g. `{"num_rows": 200}`).
    public var profile: String?

    public init(name: String, digest: String, sourceType: String, source: String,
                schema: String? = nil, profile: String? = nil) {
        self.name = name
        self.digest = digest
        self.sourceType = sourceType
        self.source = source
        self.schema = schema
        self.profile = profile
    }

    enum CodingKeys: String, CodingKey {
        case name, digest, sourceType = "source_type", source, schema, profile
    }
}
