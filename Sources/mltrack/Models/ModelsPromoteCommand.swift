import ArgumentParser
import Experiments
import Foundation
import Registry
import Tracking

/// `mltrack models promote NAME --version N --alias A [--force]`.
struct ModelsPromoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Point an alias at a version if it passes the model's promotion gates.",
        discussion: """
            Reads the policy for NAME from --policies (default Models/), evaluates each gate for the alias and \
            prints it with its values and verdict. The alias moves only if every gate passes, or with --force \
            (recorded as forced). The registry store records the decision either way, in its history and in the \
            audit log. Exit status 1 when refused.

            Threshold gates read the metrics the version's run logged (a test_<name> metric answers for <name>). \
            A gate that must beat the alias's current holder scores both versions on the candidate run's test \
            split, rebuilt from the spec and table version the run recorded (runs made by `mltrack run`); for a \
            run without them such a gate fails saying so.
            """
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "The registered model's name.")
    var name: String

    @Option(help: "The version to promote.")
    var version: Int

    @Option(help: "The alias to point at it (e.g. champion).")
    var alias: String

    @Flag(help: "Move the alias even if gates fail or no policy covers it (audited).")
    var force = false

    @Option(help: "The directory of promotion policies.")
    var policies: String = "Models"

    func validate() throws {
        if version < 1 { throw ValidationError("--version must be ≥ 1 (got \(version)).") }
        if alias.isEmpty { throw ValidationError("--alias must name an alias.") }
    }

    func run() throws {
        let (tracking, registry) = try openRegistry(options)
        let loaded = try blocking { [policies] in try PromotionPolicies.load(directory: policies) }
        let promoter = Promoter(store: registry, policies: loaded, context: RunGateContext(tracking: tracking))
        let (name, version, alias, force) = (self.name, self.version, self.alias, self.force)
        let actor = AuditActor.resolve(nil)
        let decision = try blocking {
            try await promoter.promote(name: name, version: version, alias: alias, force: force, actor: actor)
        }
        if options.json { try options.printJSON(decision) } else { print(decision.report) }
        if !decision.applied { throw ExitCode(1) }
    }
}
