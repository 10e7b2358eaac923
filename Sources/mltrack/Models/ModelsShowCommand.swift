import ArgumentParser
import Registry
import Tracking

/// `mltrack models show NAME`.
struct ModelsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a registered model: description, aliases, tags and its versions."
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "The registered model's name.")
    var name: String

    struct ShowJSON: Encodable {
        var registeredModel: RegisteredModel
        var modelVersions: [ModelVersion]
        enum CodingKeys: String, CodingKey { case registeredModel = "registered_model", modelVersions = "model_versions" }
    }

    func run() throws {
        let (_, registry) = try openRegistry(options)
        let name = self.name
        let (model, versions) = try blocking {
            (try await registry.registeredModel(name: name), try await registry.modelVersions(name: name))
        }
        if options.json {
            try options.printJSON(ShowJSON(registeredModel: model, modelVersions: versions))
        } else {
            print(RegistryTables.model(model, versions: versions), terminator: "")
        }
    }
}
