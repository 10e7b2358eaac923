import ArgumentParser
import Tracking

/// `mltrack experiments create NAME`.
struct ExperimentsCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an experiment and print its id.",
        discussion: "A name already used, also by a deleted experiment, is refused (restore or rename that one instead)."
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "The experiment's name (at most 500 characters).")
    var name: String

    @Option(help: "Where its runs keep artifacts (default: <store directory>/artifacts/<id>).")
    var artifactLocation: String?

    @Option(name: .customLong("tag"), help: "A tag key=value. Repeatable.")
    var tags: [String] = []

    func validate() throws {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("NAME must not be empty.") }
        for t in tags where !t.contains("=") { throw ValidationError("--tag '\(t)': expected key=value.") }
    }

    func run() throws {
        let store = try options.openStore()
        let parsed = tags.map { t -> ExperimentTag in
            let (k, v) = splitKeyValue(t)
            return ExperimentTag(key: k, value: v)
        }
        let id = try cliErrors { try store.createExperiment(name: name, artifactLocation: artifactLocation, tags: parsed, actor: nil) }
        if options.json {
            try options.printJSON(["experiment_id": id])
        } else {
            print(id)
        }
    }
}

/// `key=value` split at the first `=`.
func splitKeyValue(_ text: String) -> (String, String) {
    guard let eq = text.firstIndex(of: "=") else { return (text, "") }
    return (String(text[..<eq]), String(text[text.index(after: eq)...]))
}
