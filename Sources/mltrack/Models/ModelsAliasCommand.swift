import ArgumentParser
import Registry
import Tracking

/// `mltrack models alias NAME ALIAS --version N | --delete`.
struct ModelsAliasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias",
        abstract: "Set or delete an alias without gates (use promote for gated aliases such as champion).",
        discussion: "Setting an alias that exists moves it. `latest` and v<digits> are reserved."
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "The registered model's name.")
    var name: String

    @Argument(help: "The alias.")
    var alias: String

    @Option(help: "The version to point the alias at.")
    var version: Int?

    @Flag(help: "Delete the alias instead.")
    var delete = false

    func validate() throws {
        if (version == nil) == !delete { throw ValidationError("Give --version N to set the alias, or --delete to remove it.") }
        if let v = version, v < 1 { throw ValidationError("--version must be ≥ 1 (got \(v)).") }
    }

    func run() throws {
        let (_, registry) = try openRegistry(options)
        let (name, alias, version) = (self.name, self.alias, self.version)
        try blocking {
            if let version { try await registry.setAlias(name: name, alias: alias, version: version) } else { try await registry.deleteAlias(name: name, alias: alias) }
        }
        let text = version.map { "\(name)@\(alias) → version \($0)" } ?? "deleted alias \(alias) of \(name)"
        if options.json { try options.printJSON(["result": text]) } else { print(text) }
    }
}
