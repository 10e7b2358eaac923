import Foundation
import Trainers

/// Collects a trainer's progress (which may arrive from worker threads) and forwards each point.
///
/// ```swift
/// let log = ProgressLog { p in print(p.iteration) }
/// try job.run(table, progress: log.handler)
/// log.points   // every TrainingProgress, in arrival order
/// ```
final class ProgressLog: @unchecked Sendable {
    // @unchecked: `collected` is only touched under `lock`.
    private let lock = NSLock()
    private var collected: [TrainingProgress] = []
    private let forward: (@Sendable (TrainingProgress) -> Void)?

    init(forward: (@Sendable (TrainingProgress) -> Void)? = nil) { self.forward = forward }

    var handler: ProgressHandler {
        { [self] p in
            lock.lock()
            collected.append(p)
            lock.unlock()
            forward?(p)
        }
    }

    var points: [TrainingProgress] {
        lock.lock()
        defer { lock.unlock() }
        return collected
    }
}
