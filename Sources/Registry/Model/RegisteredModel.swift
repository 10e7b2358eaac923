/// A registered model: a name under which versions are registered, with a description, tags and
/// aliases (`champion` → 3). `latestVersions` is MLflow's legacy view: for each stage that has
/// versions, the highest version in that stage (computed by the store when it returns the model).
///
/// ```swift
/// let m = try await store.createRegisteredModel(name: "churn", description: "Monthly churn")
/// try await store.setAlias(name: "churn", alias: "champion", version: 1)
/// let again = try await store.registeredModel(name: "churn")   // again.aliases == ["champion": 1]
/// ```
public struct RegisteredModel: Sendable, Hashable, Codable {
    public var name: String
    /// Milliseconds since the epoch.
    public var creationTimestamp: Int64
    public var lastUpdatedTimestamp: Int64
    public var description: String
    public var tags: [String: String]
    /// Alias → version. An alias points at one version at most.
    public var aliases: [String: Int]
    /// For each stage with versions, the highest version in it, ordered by stage (None, Staging,
    /// Production, Archived).
    public var latestVersions: [ModelVersion]
    public var userId: String?

    public init(name: String, creationTimestamp: Int64, lastUpdatedTimestamp: Int64, description: String = "",
                tags: [String: String] = [:], aliases: [String: Int] = [:], latestVersions: [ModelVersion] = [],
                userId: String? = nil) {
        self.name = name
        self.creationTimestamp = creationTimestamp
        self.lastUpdatedTimestamp = lastUpdatedTimestamp
        self.description = description
        self.tags = tags
        self.aliases = aliases
        self.latestVersions = latestVersions
        self.userId = userId
    }
}
