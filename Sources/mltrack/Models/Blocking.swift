import Foundation
import Registry
import Tracking

/// Runs async library code from a synchronous command and returns its result; library errors become
/// one-line failures with their message.
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    switch box.result {
    case let .success(v)?: return v
    case let .failure(e as RegistryError)?: throw CLIFailure(e.message)
    case let .failure(e as TrackingError)?: throw CLIFailure(e.message)
    case let .failure(e)?: throw e
    case nil: throw CLIFailure("internal error: the operation produced no result")
    }
}

/// A result handed from a task to the thread waiting for it.
private final class ResultBox<T>: @unchecked Sendable {
    // @unchecked: written once by the task before the semaphore is signalled, read after the wait.
    var result: Result<T, Error>?
}

/// The tracking store and the registry store the options name.
func openRegistry(_ options: TrackingOptions) throws -> (SQLiteTrackingStore, any RegistryStore) {
    let tracking = try options.openStore()
    return (tracking, try RegistryStoreFactory.make(tracking: tracking))
}
