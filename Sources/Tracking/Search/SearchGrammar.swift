/// What a search filter may name, per searched object: MLflow's runs, experiments, registered
/// models and model versions share one syntax but differ in entities, attribute keys and
/// comparators. `RunFilter.parse(_:grammar:)` takes one; `.runs` is the default.
///
/// ```swift
/// let f = try RunFilter.parse("name LIKE 'churn%' AND tag.`mlflow.prompt.is_prompt` != 'true'",
///                             grammar: .registeredModels)
/// f.matches(model, grammar: .registeredModels)   // model: some SearchableEntity
/// ```
public struct SearchGrammar: Sendable, Hashable {
    /// A filterable attribute.
    public struct Attribute: Sendable, Hashable {
        /// The key in the AST (aliases map to it).
        public var canonical: String
        /// Numeric (`= != > >= < <=` with a number) or string (`= != LIKE ILIKE [IN NOT IN]`).
        public var numeric: Bool
        /// Whether `IN`/`NOT IN` lists are allowed.
        public var allowsList: Bool
        /// Whether a quoted number is accepted for a numeric attribute (model versions' `version_number`).
        public var acceptsQuotedNumber: Bool

        public init(_ canonical: String, numeric: Bool = false, allowsList: Bool = false, acceptsQuotedNumber: Bool = false) {
            self.canonical = canonical
            self.numeric = numeric
            self.allowsList = allowsList
            self.acceptsQuotedNumber = acceptsQuotedNumber
        }
    }

    /// What is searched, for messages ("run", "experiment", …).
    public var subject: String
    /// Entity prefixes accepted (spelling → entity).
    public var entitySpellings: [String: SearchEntity]
    /// Filterable attributes by spelling (aliases included).
    public var attributes: [String: Attribute]
    /// Comparators allowed on tags.
    public var tagComparators: [FilterComparator]
    /// A tag whose absence satisfies `= 'false'` and `!= 'true'` (MLflow's registry treats every
    /// model without `mlflow.prompt.is_prompt` as "not a prompt").
    public var absentMeansFalseTag: String?
    /// Comparators allowed on params (`IN`/`NOT IN` take a list).
    public var paramComparators: [FilterComparator]
    /// Whether a bare number compared with a param, tag or string attribute is read as its text
    /// (`params.lr = 0.01` means `'0.01'`), as MLflow's logged-model search does.
    public var bareNumbersAsText: Bool

    public init(subject: String, entitySpellings: [String: SearchEntity], attributes: [String: Attribute],
                tagComparators: [FilterComparator], absentMeansFalseTag: String? = nil,
                paramComparators: [FilterComparator] = FilterComparator.paramOrTag, bareNumbersAsText: Bool = false) {
        self.subject = subject
        self.entitySpellings = entitySpellings
        self.attributes = attributes
        self.tagComparators = tagComparators
        self.absentMeansFalseTag = absentMeansFalseTag
        self.paramComparators = paramComparators
        self.bareNumbersAsText = bareNumbersAsText
    }

    /// `['a', 'b']`, as MLflow's messages print lists.
    static func listText(_ items: [String]) -> String { "[" + items.map { "'\($0)'" }.joined(separator: ", ") + "]" }

    var listKeys: String { Self.listText(Set(attributes.values.filter(\.allowsList).map(\.canonical)).sorted()) }
    var attributeKeys: String { Self.listText(attributes.keys.sorted()) }
    var validEntityNames: String {
        let order: [SearchEntity] = [.metric, .parameter, .tag, .attribute, .dataset]
        let present = Set(entitySpellings.values)
        return Self.listText(order.filter(present.contains).map(\.rawValue))
    }

    static let tagOnlyEntities: [String: SearchEntity] = ["attribute": .attribute, "tag": .tag, "tags": .tag]

    /// MLflow's `runs/search`.
    public static let runs = SearchGrammar(
        subject: "run",
        entitySpellings: [
            "metric": .metric, "metrics": .metric,
            "parameter": .parameter, "parameters": .parameter, "param": .parameter, "params": .parameter,
            "tag": .tag, "tags": .tag,
            "attribute": .attribute, "attributes": .attribute, "attr": .attribute, "run": .attribute,
            "dataset": .dataset, "datasets": .dataset,
        ],
        attributes: [
            "run_id": Attribute("run_id", allowsList: true),
            "run_name": Attribute("run_name"), "run name": Attribute("run_name"),
            "Run name": Attribute("run_name"), "Run Name": Attribute("run_name"),
            "status": Attribute("status"), "user_id": Attribute("user_id"), "artifact_uri": Attribute("artifact_uri"),
            "start_time": Attribute("start_time", numeric: true), "created": Attribute("start_time", numeric: true),
            "Created": Attribute("start_time", numeric: true), "end_time": Attribute("end_time", numeric: true),
        ],
        tagComparators: FilterComparator.paramOrTag)

    /// MLflow's `experiments/search`.
    public static let experiments = SearchGrammar(
        subject: "experiment",
        entitySpellings: tagOnlyEntities,
        attributes: [
            "name": Attribute("name"), "experiment_id": Attribute("experiment_id", allowsList: true),
            "creation_time": Attribute("creation_time", numeric: true),
            "last_update_time": Attribute("last_update_time", numeric: true),
        ],
        tagComparators: FilterComparator.paramOrTag)

    /// MLflow's `registered-models/search`.
    public static let registeredModels = SearchGrammar(
        subject: "registered model",
        entitySpellings: tagOnlyEntities,
        attributes: ["name": Attribute("name", allowsList: true)],
        tagComparators: [.equal, .notEqual, .like, .ilike],
        absentMeansFalseTag: "mlflow.prompt.is_prompt")

    /// MLflow's `model-versions/search`.
    public static let modelVersions = SearchGrammar(
        subject: "model version",
        entitySpellings: tagOnlyEntities,
        attributes: [
            "name": Attribute("name", allowsList: true), "run_id": Attribute("run_id", allowsList: true),
            "source_path": Attribute("source_path"),
            "version_number": Attribute("version_number", numeric: true, acceptsQuotedNumber: true),
        ],
        tagComparators: [.equal, .notEqual, .like, .ilike],
        absentMeansFalseTag: "mlflow.prompt.is_prompt")
}

extension SearchGrammar {
    /// MLflow 3's `logged-models/search`: entities `attributes`, `metrics`, `params`, `tags` (only
    /// these spellings); string attributes, params and tags take `= != LIKE ILIKE IN NOT IN` and
    /// read a bare number as text; `creation_timestamp` (`creation_time`, `creation_timestamp_ms`)
    /// and `last_updated_timestamp` (`last_updated_time`, `last_updated_timestamp_ms`) are numeric;
    /// a metric matches when any logged point of it satisfies the comparison.
    public static let loggedModels: SearchGrammar = {
        let strings = ["name", "model_id", "model_type", "status", "source_run_id", "experiment_id", "artifact_location", "status_message"]
        var attributes: [String: Attribute] = [:]
        for key in strings { attributes[key] = Attribute(key, allowsList: true) }
        for alias in ["creation_timestamp", "creation_time", "creation_timestamp_ms"] {
            attributes[alias] = Attribute("creation_timestamp", numeric: true)
        }
        for alias in ["last_updated_timestamp", "last_updated_time", "last_updated_timestamp_ms"] {
            attributes[alias] = Attribute("last_updated_timestamp", numeric: true)
        }
        let comparators: [FilterComparator] = [.equal, .notEqual, .like, .ilike, .in, .notIn]
        return SearchGrammar(
            subject: "logged model",
            entitySpellings: ["attributes": .attribute, "metrics": .metric, "params": .parameter, "tags": .tag],
            attributes: attributes, tagComparators: comparators, paramComparators: comparators, bareNumbersAsText: true)
    }()
}

/// Anything searched with a tag/attribute grammar (experiments, registered models, model versions).
///
/// ```swift
/// extension RegisteredModel: SearchableEntity {
///     public func searchAttribute(_ key: String) -> SearchAttributeValue? {
///         key == "name" ? .string(name) : nil
///     }
///     public func searchTag(_ key: String) -> String? { tags[key] }
/// }
/// ```
public protocol SearchableEntity {
    /// The value of a canonical attribute key of the grammar, nil if absent.
    func searchAttribute(_ key: String) -> SearchAttributeValue?
    func searchTag(_ key: String) -> String?
}

/// An attribute value for `SearchableEntity`.
public enum SearchAttributeValue: Sendable, Hashable {
    case string(String)
    case number(Double)
}

extension RunFilter {
    /// Evaluates a filter parsed with a tag/attribute `grammar` (same rules as for runs:
    /// absent values match nothing but `IS NULL`, with the grammar's `absentMeansFalseTag` exception).
    public func matches(_ entity: some SearchableEntity, grammar: SearchGrammar) -> Bool {
        clauses.allSatisfy { clause in
            switch clause.entity {
            case .tag:
                let value = entity.searchTag(clause.key)
                if value == nil, clause.key == grammar.absentMeansFalseTag {
                    switch (clause.comparator, clause.value) {
                    case (.equal, .string(let s)): return s == "false"
                    case (.notEqual, .string(let s)): return s == "true"
                    default: break
                    }
                }
                return clause.matchString(value)
            case .attribute:
                switch entity.searchAttribute(clause.key) {
                case .string(let s)?: return clause.matchString(s)
                case .number(let d)?:
                    switch clause.value {
                    case .number(let rhs): return RunFilterClause.compare(d, rhs, clause.comparator)
                    case .string(let s): return Double(s).map { RunFilterClause.compare(d, $0, clause.comparator) } ?? false
                    default: return false
                    }
                case nil: return false
                }
            default:
                return false
            }
        }
    }
}
