import Features
import ModelPackage
import Synchronization

/// The model one name serves right now. Readers take the current ``ServedModel`` (an immutable
/// value) under a short lock; a hot swap replaces it in one step, so a request that took a model
/// keeps scoring with it to the end while the next request already gets the new one.
///
/// ```swift
/// let slot = ModelSlot(v1)
/// let model = slot.current          // churn/1, whole and immutable
/// let old = slot.swap(to: v2)       // requests from now on get churn/2
/// ```
public final class ModelSlot: Sendable {
    /// The name routes use for this model.
    public let name: String
    /// What the slot was asked to serve (an alias is followed, a fixed version never moves).
    public let reference: ModelReference
    /// Builds this model's predictors (at start and on every swap).
    public let predictors: PredictorRegistry<FeatureValue>
    /// The largest request body for this model (nil: the server's limit).
    public let maxBodyBytes: Int?
    private let state: Mutex<Box>

    /// One allocation per loaded model, so a read under the lock is a single retain.
    private final class Box: Sendable {
        let model: ServedModel
        init(_ model: ServedModel) { self.model = model }
    }

    public init(_ model: ServedModel, reference: ModelReference? = nil,
                predictors: PredictorRegistry<FeatureValue> = .standard, maxBodyBytes: Int? = nil) {
        name = model.name
        self.reference = reference ?? model.resolved.reference
        self.predictors = predictors
        self.maxBodyBytes = maxBodyBytes
        state = Mutex(Box(model))
    }

    /// The model serving now.
    public var current: ServedModel { state.withLock { $0 }.model }

    /// Replaces the model; returns the one it replaced.
    @discardableResult
    public func swap(to model: ServedModel) -> ServedModel {
        let new = Box(model)
        return state.withLock { box in
            let old = box
            box = new
            return old
        }.model
    }
}
