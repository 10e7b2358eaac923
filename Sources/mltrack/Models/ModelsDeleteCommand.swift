import ArgumentParser
import Registry
import Tracking

/// `mltrack models delete NAME [--version N]`.
struct ModelsDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a registered model with its versions and aliases, or one version with --version.",
        discussion: "Version numbers are never reused. The runs and their artifacts are not touched."
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "The registered model's name.")
    var name: String

    @Option(help: "Delete only this version (its aliases go with it).")
    var version: Int?

    func validate() throws {
        if let v = version, v < 1 { throw ValidationError("--version must be ≥ 1 (got \(v)).") }
    }

    func run() throws {
        let (_, registry) = try openRegistry(options)
        let (name, version) = (self.name, self.version)
        try blocking {
            if let version { try await registry.deleteModelVersion(name: name, version: version) } else { try await registry.deleteRegisteredModel(name: name) }
        }
        let text = version.map { "deleted \(name) version \($0)" } ?? "deleted registered model \(name)"
        if options.json { try options.printJSON(["result": text]) } else { print(text) }
    }
}
