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
        var registeredModel: RegistryJSON.Model
        var modelVersions: [RegistryJSON.Version]
        enum CodingKeys: String, CodingKey { case registeredModel = "registered_model", modelVersions = "model_versions" }
    }

    func run() throws {
        let (_, registry) = try openRegistry(options)
        let name = self.name
        let (model, versions) = try blocking {
            (try await registry.registeredModel(name: name), try await registry.modelVersions(name: name))
        }
        if options.json {
            try options.printJSON(ShowJSON(registeredModel: RegistryJSON.Model(model), modelVersions: versions.map(RegistryJSON.Version.init)))
        } else {
            print(RegistryTables.model(model, versions: versions), terminator: "")
        }
    }
}
