import ArgumentParser
import Registry
import Tracking

/// `mltrack models versions NAME`.
struct ModelsVersionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "versions",
        abstract: "List a model's versions, highest first: aliases, stage, status, run, creation time, source."
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "The registered model's name.")
    var name: String

    func run() throws {
        let (_, registry) = try openRegistry(options)
        let name = self.name
        let versions = try blocking { try await registry.modelVersions(name: name) }
        if options.json {
            try options.printJSON(["model_versions": versions.map(RegistryJSON.Version.init)])
        } else {
            print(RegistryTables.versions(versions), terminator: "")
        }
    }
}
