import Registry
import Tracking

/// The one place the CLI builds its registry store: for a SQLite tracking store the SQLite registry
/// in the same file (its tables are the `registry.*` migrations; every change is audited in the
/// same transaction); for a tracking server (http(s) URI) the ``RESTRegistryStore`` on the same
/// server. Never an in-memory registry, which would silently forget every change at exit.
enum RegistryStoreFactory {
    static func make(tracking: SQLiteTrackingStore) throws -> any RegistryStore {
        try cliErrors { try SQLiteRegistryStore(tracking: tracking) }
    }

    /// The registry beside any tracking store the CLI opened.
    static func make(tracking: any TrackingStore) throws -> any RegistryStore {
        if let sqlite = tracking as? SQLiteTrackingStore { return try make(tracking: sqlite) }
        if let rest = tracking as? RESTTrackingStore { return RESTRegistryStore(client: rest.client) }
        throw CLIFailure("no model registry for this tracking store (\(type(of: tracking))); use a sqlite: or http(s): tracking URI")
    }
}
