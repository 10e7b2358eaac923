import Registry
import Tracking

/// The model registry the CLI registers into, built in this one place. Until the SQLite registry
/// store lands this is an in-memory store: versions and promotions made by `mltrack run` are
/// printed but do not outlive the command. Replace the body with `SQLiteRegistryStore(tracking:)`.
enum RegistryFactory {
    static func make(tracking: any TrackingStore) throws -> any RegistryStore {
        InMemoryRegistryStore()
    }
}
