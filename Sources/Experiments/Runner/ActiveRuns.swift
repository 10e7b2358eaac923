import Foundation

/// The runs an ``ExperimentRunner`` has started and not yet ended, so an interrupt handler can end
/// them KILLED (``ExperimentRunner/killActiveRuns(reason:)``). Thread-safe.
///
/// ```swift
/// let active = ActiveRuns()
/// active.insert("3f2a…"); active.ids   // ["3f2a…"]
/// ```
public final class ActiveRuns: @unchecked Sendable {
    // @unchecked: `order` is only touched under `lock`.
    private let lock = NSLock()
    private var order: [String] = []

    public init() {}

    public func insert(_ id: String) {
        lock.lock()
        defer { lock.unlock() }
        if !order.contains(id) { order.append(id) }
    }

    public func remove(_ id: String) {
        lock.lock()
        defer { lock.unlock() }
        order.removeAll { $0 == id }
    }

    /// Started first first (a sweep's parent before its children).
    public var ids: [String] {
        lock.lock()
        defer { lock.unlock() }
        return order
    }
}
