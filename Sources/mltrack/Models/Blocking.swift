import Foundation
import Registry
import Tracking

/// Runs async library code from a synchronous command (``blockingAwait(_:)``) and returns its
/// result; library errors become one-line failures with their message.
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    do {
        return try blockingAwait(body)
    } catch let e as RegistryError {
        throw CLIFailure(e.message)
    } catch let e as TrackingError {
        throw CLIFailure(e.message)
    }
}

/// The tracking store and the registry store the options name.
func openRegistry(_ options: TrackingOptions) throws -> (any TrackingStore, any RegistryStore) {
    let tracking = try options.openStore()
    return (tracking, try RegistryStoreFactory.make(tracking: tracking))
}
