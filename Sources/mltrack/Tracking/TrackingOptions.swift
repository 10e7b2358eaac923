import ArgumentParser
import Foundation
import Registry
import Tracking

/// `--format table|json`: aligned tables for people, MLflow-shaped JSON for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// The options every tracking command shares: where the store is and how to print.
struct TrackingOptions: ParsableArguments {
    @Option(name: .customLong("tracking-uri"),
            help: "The tracking store: sqlite:///abs/path.db, sqlite:relative.db, a file path, or http(s)://host:port of a tracking server (mltrack server or mlflow server) (default: $MLTRACK_TRACKING_URI, else ./mltrack/mltrack.db).")
    var trackingURI: String?

    @Option(help: "Output: table (aligned columns, local times) or json (MLflow's JSON shapes).")
    var format: OutputFormat = .table

    var json: Bool { format == .json }

    /// The tracking URI the options name (`--tracking-uri`, else `$MLTRACK_TRACKING_URI`, else
    /// ./mltrack/mltrack.db).
    func resolvedURI() throws -> TrackingURI {
        try cliErrors { try TrackingURI.resolve(explicit: trackingURI) }
    }

    /// Opens the store the options name: the SQLite file (created on first use) or the tracking
    /// server at an http(s) URI (``RESTTrackingStore``).
    func openStore() throws -> any TrackingStore {
        try cliErrors { try TrackingURI.resolve(explicit: trackingURI).openStore() }
    }

    /// The artifact store of a run: local files, or the tracking server's artifact proxy for
    /// `mlflow-artifacts:` and http(s) artifact URIs.
    func artifacts(of info: RunInfo) throws -> any ArtifactStore {
        try cliErrors { try ArtifactStores.open(uri: info.artifactUri, trackingURI: try TrackingURI.resolve(explicit: trackingURI)) }
    }

    /// Prints a value as JSON (MLflow's shapes) to standard output.
    func printJSON<T: Encodable>(_ value: T) throws {
        print(try cliErrors { try TrackingJSON.text(value) })
    }
}

/// A command-line failure: ArgumentParser prints `Error: <message>` on one line and exits 1.
struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// Runs `body`, turning the libraries' errors into one-line failures carrying their message.
func cliErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as TrackingError {
        throw CLIFailure(e.message)
    } catch let e as RegistryError {
        throw CLIFailure(e.message)
    }
}

/// Whether standard output is a terminal (for ANSI highlighting).
var stdoutIsTerminal: Bool { isatty(1) == 1 }

/// One `warning: …` line on standard error.
func warn(_ line: String) {
    FileHandle.standardError.write(Data("warning: \(line)\n".utf8))
}
