import Foundation
import Logging
import PostgresNIO
import TaskCore

@testable import TaskStore

/// The store implementations every conformance test runs against.
public enum StoreKind: String, CaseIterable, Sendable {
    case memory
    case postgres

    /// The PostgreSQL URL the test command exports; `nil` when no cluster was started.
    public static let postgresURL = ProcessInfo.processInfo.environment["TASKD_TEST_DATABASE_URL"]

    /// Whether this run is CI, where PostgreSQL tests must run, never skip.
    public static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The kinds to test: PostgreSQL whenever a database is configured, and always in CI (where a missing
    /// database then fails the tests instead of quietly testing memory only).
    public static var available: [StoreKind] { postgresURL != nil || isCI ? allCases : [.memory] }

    /// A new, empty store of this kind; for PostgreSQL, a fresh schema with every migration applied.
    public func makeFreshStore() async throws -> any DataStore {
        switch self {
        case .memory:
            return MemoryStore()
        case .postgres:
            return try await Self.makePostgresStore()
        }
    }

    /// A PostgreSQL store on a schema of its own, its pool running in the background, migrated. Transactions have
    /// `timeout`; statements have `statementTimeout`, `timeout` when it is `nil`.
    /// It listens for other stores' event notifications only when `listensForEvents` (a listening store holds a
    /// connection for good, and the suites open many stores).
    public static func makePostgresStore(
        schema: String? = nil, timeout: Duration = .seconds(20), statementTimeout: Duration? = nil,
        listensForEvents: Bool = false
    ) async throws -> PostgresStore {
        try await openPostgresStore(
            schema: schema, timeout: timeout, statementTimeout: statementTimeout, listensForEvents: listensForEvents
        ).store
    }

    /// Like `makePostgresStore`, also returning the task that runs the pool: cancelling it closes the store.
    public static func openPostgresStore(
        schema: String? = nil, timeout: Duration = .seconds(20), statementTimeout: Duration? = nil,
        listensForEvents: Bool = false
    ) async throws -> (store: PostgresStore, runner: Task<Void, Never>) {
        guard let text = postgresURL else { throw MissingDatabase() }
        let schema = schema ?? "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        var logger = Logger(label: "taskd.test.postgres")
        logger.logLevel = .warning
        let store = PostgresStore(
            url: try DatabaseURL(text),
            pool: PoolSettings(size: 4, timeout: timeout, statementTimeout: statementTimeout ?? timeout),
            searchPath: "\(schema), public", listensForEvents: listensForEvents,
            logger: logger)
        let runner = Task.detached { _ = try? await store.run() }
        try await store.transaction { tx in
            guard let tx = tx as? PostgresTransaction else { return }
            try await tx.execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"))
        }
        try await store.migrate()
        return (store, runner)
    }

    /// Thrown when PostgreSQL tests must run but no database was configured.
    public struct MissingDatabase: Error, CustomStringConvertible {
        /// How to run the tests with PostgreSQL.
        public var description: String {
            "TASKD_TEST_DATABASE_URL is not set: run the tests with ./scripts/test, which starts PostgreSQL"
        }
    }
}
