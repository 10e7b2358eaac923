import ArgumentParser
import Registry
import Tracking

/// `mltrack models tag NAME KEY [VALUE] [--version N] [--delete]`.
struct ModelsTagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Set or delete a tag on a registered model, or on one of its versions with --version."
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "The registered model's name.")
    var name: String

    @Argument(help: "The tag key.")
    var key: String

    @Argument(help: "The tag value (omit with --delete).")
    var value: String?

    @Option(help: "Tag this version instead of the model.")
    var version: Int?

    @Flag(help: "Delete the tag instead.")
    var delete = false

    func validate() throws {
        if (value == nil) == !delete { throw ValidationError("Give VALUE to set the tag, or --delete to remove it.") }
        if let v = version, v < 1 { throw ValidationError("--version must be ≥ 1 (got \(v)).") }
    }

    func run() throws {
        let (_, registry) = try openRegistry(options)
        let (name, key, value, version) = (self.name, self.key, self.value, self.version)
        try blocking {
            switch (version, value) {
            case let (v?, val?): try await registry.setModelVersionTag(name: name, version: v, key: key, value: val)
            case let (v?, nil): try await registry.deleteModelVersionTag(name: name, version: v, key: key)
            case let (nil, val?): try await registry.setRegisteredModelTag(name: name, key: key, value: val)
            case (nil, nil): try await registry.deleteRegisteredModelTag(name: name, key: key)
            }
        }
        let target = version.map { "\(name) version \($0)" } ?? name
        let text = value.map { "set tag \(key)=\($0) on \(target)" } ?? "deleted tag \(key) of \(target)"
        if options.json { try options.printJSON(["result": text]) } else { print(text) }
    }
}
