import ArgumentParser

/// The taskd command line: `serve` (the default), `migrate`, `users promote EMAIL`.
@main
struct Taskd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taskd",
        abstract: "A task-management API server.",
        discussion: TaskdConfiguration.environmentHelp,
        subcommands: [ServeCommand.self, MigrateCommand.self, UsersCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
