import ArgumentParser
import NIOCore
import NIOPosix

/// The taskd command line: `serve` (the default), `migrate`, `users promote EMAIL`.
struct Taskd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taskd",
        abstract: "A task-management API server.",
        discussion: TaskdConfiguration.environmentHelp,
        subcommands: [ServeCommand.self, MigrateCommand.self, UsersCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

/// The program's entry point.
///
/// Before anything else runs, NIO's event loops become the executor of Swift concurrency, so that a request's
/// handler, its PostgreSQL queries and its response run on the same threads instead of hopping between the
/// cooperative pool and the event loops for every query. Nothing in taskd blocks a thread: password hashing runs
/// on NIO's thread pool.
@main
enum TaskdMain {
    static func main() async {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await Taskd.main()
    }
}
