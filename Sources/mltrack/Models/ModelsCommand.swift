import ArgumentParser

/// `mltrack models …`: the model registry.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Registered models: list, show, versions, register, promote under a policy, aliases, tags, delete.",
        discussion: "The registry lives in the tracking store (--tracking-uri): the SQLite file, or the tracking server of an http(s) URI (mltrack server or mlflow server). Promotion policies are read from Models/*.yaml.",
        subcommands: [ModelsListCommand.self, ModelsShowCommand.self, ModelsVersionsCommand.self, ModelsRegisterCommand.self,
                      ModelsPromoteCommand.self, ModelsAliasCommand.self, ModelsTagCommand.self, ModelsDeleteCommand.self]
    )
}
