/// What a ``ModelHost`` reports as models come and go: the HTTP layer's metrics implement it
/// (`mltrack_model_info`, `mltrack_model_swaps_total`, `mltrack_model_load_failures_total`).
///
/// ```swift
/// struct PrintingObserver: ModelHostObserver {
///     func modelServing(_ model: ServedModel, replacing old: ServedModel?) { print("now", model.versionLabel) }
///     func modelLoadFailed(name: String, target: ResolvedPackage, error: ServingError) { print(error) }
/// }
/// ```
public protocol ModelHostObserver: Sendable {
    /// `model` serves from now on; `old` is the model it replaced (nil at startup).
    func modelServing(_ model: ServedModel, replacing old: ServedModel?)
    /// Loading `target` for the model `name` failed; the previous model keeps serving.
    func modelLoadFailed(name: String, target: ResolvedPackage, error: ServingError)
}

/// An observer that ignores everything.
public struct NoModelHostObserver: ModelHostObserver {
    public init() {}
    public func modelServing(_ model: ServedModel, replacing old: ServedModel?) {}
    public func modelLoadFailed(name: String, target: ResolvedPackage, error: ServingError) {}
}
