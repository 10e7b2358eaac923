/// A model URI resolved to the artifact URI of its package (`source`), with the registered version
/// when the URI named one (`models:/…`), nil for `runs:/…`.
///
/// ```swift
/// let r = try await store.resolve(uri: "models:/churn@champion")
/// let package = try ModelPackage.load(at: localPath(of: r.source))
/// ```
public struct ResolvedModel: Sendable, Hashable {
    public var uri: ModelURI
    public var source: String
    public var version: ModelVersion?

    public init(uri: ModelURI, source: String, version: ModelVersion?) {
        self.uri = uri
        self.source = source
        self.version = version
    }
}
