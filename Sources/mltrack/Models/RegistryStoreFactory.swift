import Registry
import Tracking

/// The one place the CLI builds its registry store: the SQLite registry in the tracking store's
/// file (its tables are the `registry.*` migrations; every change is audited in the same
/// transaction). Never an in-memory registry, which would silently forget every change at exit.
enum RegistryStoreFactory {
    static func make(tracking: SQLiteTrackingStore) throws -> any RegistryStore {
        try cliErrors { try SQLiteRegistryStore(tracking: tracking) }
    }

    /// The registry beside any tracking store the CLI opened (only the SQLite store has one so far).
    static func make(tracking: any TrackingStore) throws -> any RegistryStore {
        guard let sqlite = tracking as? SQLiteTrackingStore else {
            throw TrackingError(.invalidParameterValue, "the model registry needs a SQLite tracking store (sqlite:// URI or a file path)")
        }
        return try make(tracking: sqlite)
    }
}
