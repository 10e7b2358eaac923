import Registry
import Tracking

/// The one place the CLI builds its registry store: the SQLite registry in the tracking store's
/// file (its tables are the `registry.*` migrations; every change is audited in the same
/// transaction). Never an in-memory registry, which would silently forget every change at exit.
enum RegistryStoreFactory {
    static func make(tracking: SQLiteTrackingStore) throws -> any RegistryStore {
        try cliErrors { try SQLiteRegistryStore(tracking: tracking) }
    }
}
