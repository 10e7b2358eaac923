import ArgumentParser
import Tracking

/// `mltrack audit`.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List the store's audit log: every mutation with who, what and when, oldest first.",
        discussion: """
            Each event has a growing id; pass the last id you saw as --after to read on. --entity keeps one kind: \
            experiment, run, registered_model or model_version. With --format json prints {"events": [...]}.
            """
    )

    @OptionGroup var options: TrackingOptions

    @Option(help: "Only events with an id greater than this.")
    var after: Int64?

    @Option(help: "At most this many events.")
    var limit: Int = 100

    @Option(help: "Only events about this kind of entity (experiment, run, registered_model, model_version).")
    var entity: String?

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1 (got \(limit)).") }
        if let a = after, a < 0 { throw ValidationError("--after must be ≥ 0 (got \(a)).") }
        if let e = entity, e.isEmpty { throw ValidationError("--entity must name a kind.") }
    }

    func run() throws {
        let store = try options.openStore()
        let listing = AuditListing(after: after, limit: limit, entityKind: entity.map { AuditEntityKind($0) })
        let events = try cliErrors { try listing.events(in: store) }
        if options.json {
            try options.printJSON(["events": events.map(TrackingJSON.AuditEntry.init)])
        } else {
            print(TrackingTables.audit(events), terminator: "")
        }
    }
}
