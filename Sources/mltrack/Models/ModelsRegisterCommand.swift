import ArgumentParser
import Registry
import Tracking

/// `mltrack models register NAME --run RUN`.
struct ModelsRegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a run's model package as a new version of NAME (creating the model if needed).",
        discussion: "The version's source is <the run's artifact URI>/<--path>; versions are numbered 1, 2, … per model."
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "The registered model's name.")
    var name: String

    @Option(name: .customLong("run"), help: "The run whose artifact holds the model package.")
    var runId: String

    @Option(help: "The package's artifact path inside the run.")
    var path: String = "model"

    @Option(help: "A description for the new version.")
    var description: String = ""

    func validate() throws {
        if runId.isEmpty { throw ValidationError("--run must name a run id.") }
        if path.isEmpty { throw ValidationError("--path must name an artifact path.") }
    }

    func run() throws {
        let (tracking, registry) = try openRegistry(options)
        let runInfo = try cliErrors { try tracking.getRun(id: self.runId).info }
        let artifacts = try options.artifacts(of: runInfo)
        if try cliErrors({ try artifacts.list(path: path) }).isEmpty {
            throw CLIFailure("run \(self.runId) has no model package at artifact path '\(path)'")
        }
        let (name, runId, description) = (self.name, self.runId, self.description)
        let source = runInfo.artifactUri + "/" + path
        let version = try blocking {
            if (try? await registry.registeredModel(name: name)) == nil {
                _ = try await registry.createRegisteredModel(name: name)
            }
            return try await registry.createModelVersion(name: name, source: source, runId: runId, description: description, tags: [:])
        }
        if options.json { try options.printJSON(["model_version": RegistryJSON.Version(version)]) } else { print("registered \(name) version \(version.version) from run \(runId)") }
    }
}
