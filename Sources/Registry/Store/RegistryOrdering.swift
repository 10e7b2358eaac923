/// An `order_by` list of a registry search, parsed: `name`, `creation_timestamp`,
/// `last_updated_timestamp` (alias `timestamp`, as MLflow's SQL store reads it), and for versions also `version_number`, each optionally
/// followed by `ASC` or `DESC` (default ASC). Ties are broken by name ascending, then version
/// descending. An unknown key or direction is `INVALID_PARAMETER_VALUE` naming it.
///
/// ```swift
/// let order = try RegistryOrdering(["last_updated_timestamp DESC"], forVersions: false)
/// ```
public struct RegistryOrdering: Sendable, Hashable {
    /// A sortable attribute.
    public enum Key: String, Sendable, Hashable {
        case name
        case creationTimestamp = "creation_timestamp"
        case lastUpdatedTimestamp = "last_updated_timestamp"
        case versionNumber = "version_number"
    }

    private var terms: [Term]
    private struct Term: Sendable, Hashable { var key: Key; var ascending: Bool }

    public init(_ orderBy: [String], forVersions: Bool) throws {
        terms = []
        for item in orderBy {
            let words = item.split(whereSeparator: \.isWhitespace)
            guard (1...2).contains(words.count) else {
                throw RegistryError(.invalidParameterValue, "Invalid order_by clause '\(item)'.")
            }
            var name = words[0].lowercased()
            if name == "timestamp" { name = "last_updated_timestamp" }
            guard let key = Key(rawValue: name), forVersions || key != .versionNumber else {
                throw RegistryError(.invalidParameterValue,
                                    "Invalid order_by clause '\(item)': unknown key '\(words[0])' (expected name, creation_timestamp, last_updated_timestamp\(forVersions ? ", version_number" : "")).")
            }
            var ascending = true
            if words.count == 2 {
                switch words[1].uppercased() {
                case "ASC": ascending = true
                case "DESC": ascending = false
                default: throw RegistryError(.invalidParameterValue, "Invalid order_by clause '\(item)': expected ASC or DESC after the key.")
                }
            }
            terms.append(Term(key: key, ascending: ascending))
        }
    }

    /// Whether `a` sorts before `b`, given their attributes.
    public func precedes(_ a: (name: String, version: Int, created: Int64, updated: Int64),
                         _ b: (name: String, version: Int, created: Int64, updated: Int64)) -> Bool {
        for t in terms + [Term(key: .name, ascending: true), Term(key: .versionNumber, ascending: false)] {
            let order: Bool?
            switch t.key {
            case .name: order = a.name == b.name ? nil : a.name < b.name
            case .creationTimestamp: order = a.created == b.created ? nil : a.created < b.created
            case .lastUpdatedTimestamp: order = a.updated == b.updated ? nil : a.updated < b.updated
            case .versionNumber: order = a.version == b.version ? nil : a.version < b.version
            }
            if let order { return order == t.ascending }
        }
        return false
    }
}
