import Registry
import Tracking

/// The one place the CLI builds its registry store. The registry persists in the tracking store's
/// SQLite file; when this build has no SQL registry store it refuses (an in-memory registry would
/// silently forget every change at exit).
enum RegistryStoreFactory {
    static func make(tracking: SQLiteTrackingStore) throws -> any RegistryStore {
        // Switch to `return try SQLiteRegistryStore(tracking: tracking)` once it is in the build.
        throw CLIFailure("registry store not available in this build (tracking store \(tracking.path)): `mltrack models` needs the SQLite registry store")
    }
}
