import ArgumentParser
import Logging
import TaskCore
import TaskStore

/// `taskd users ...`: user administration from the command line.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Administer users.", subcommands: [PromoteCommand.self])

    /// `taskd users promote EMAIL`: the only way to make a system administrator.
    struct PromoteCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "promote", abstract: "Make the user with this email a system administrator.")

        @Argument(help: "The email address of a registered user.")
        var email: String

        func run() async throws {
            let configuration = try TaskdConfiguration()
            let logger = Logging.makeLogger(level: configuration.logLevel)
            guard let url = configuration.databaseURL else {
                throw ConfigurationError(
                    "taskd users promote needs DATABASE_URL (the in-memory store lives only inside a running taskd)")
            }
            let store = PostgresStore(
                url: url, pool: PoolSettings(size: 2), directURL: configuration.directDatabaseURL,
                usesPreparedStatements: configuration.usesPreparedStatements, logger: logger)
            let email = email
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.run() }
                defer { group.cancelAll() }
                try await store.migrate()
                do {
                    let user = try await UserAdministration(store: store, now: systemNow, ids: RandomIDGenerator())
                        .promote(email: email)
                    print("\(user.email) is now a system administrator")
                } catch DomainError.notFound {
                    throw ConfigurationError("no user has the email \(email)")
                } catch DomainError.validation {
                    throw ConfigurationError("\(email) is not a valid email address")
                }
            }
        }
    }
}
