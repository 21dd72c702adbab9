import ArgumentParser
import Logging
import TaskStore

/// `taskd migrate`: applies pending schema migrations to `DATABASE_URL` and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending database migrations.")

    func run() async throws {
        let configuration = try TaskdConfiguration()
        let logger = Logging.makeLogger(level: configuration.logLevel)
        guard let url = configuration.databaseURL else { throw ConfigurationError("taskd migrate needs DATABASE_URL") }
        let store = PostgresStore(
            url: url, pool: PoolSettings(size: 2), directURL: configuration.directDatabaseURL,
            usesPreparedStatements: configuration.usesPreparedStatements, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            defer { group.cancelAll() }
            let applied = try await store.migrate()
            print(
                applied.isEmpty
                    ? "schema is up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        }
    }
}
