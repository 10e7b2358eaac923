import ArgumentParser
import Registry
import Tracking

/// `mltrack models list`.
struct ModelsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List registered models: name, latest version, aliases, last update, description.",
        discussion: "--filter takes MLflow's registered-model grammar: name = 'churn', name LIKE 'ch%', tags.team = 'growth'."
    )

    @OptionGroup var options: TrackingOptions

    @Option(help: "A filter in MLflow's registered-model search grammar.")
    var filter: String?

    func run() throws {
        let (_, registry) = try openRegistry(options)
        let filter = self.filter
        let models = try blocking { try await registry.searchRegisteredModels(filter: filter) }
        if options.json {
            try options.printJSON(["registered_models": models.map(RegistryJSON.Model.init)])
        } else {
            print(RegistryTables.models(models), terminator: "")
        }
    }
}
