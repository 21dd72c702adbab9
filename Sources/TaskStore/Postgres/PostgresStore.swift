import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import ServiceLifecycle
import Synchronization
import TaskCore

/// The production store: PostgreSQL through postgres-nio's connection pool.
///
/// The pool runs as a `Service` (`run()`); until it runs, no transaction gets a connection. Each transaction
/// leases one connection, sends `BEGIN` before its first write or lock and `COMMIT` at the end (see
/// `PostgresTransaction`), and rolls back when the use case throws. When PostgreSQL
/// cannot be reached, a transaction fails after `leaseTimeout` with `DomainError.storeUnavailable`; the pool keeps
/// trying to connect, so taskd recovers by itself when the database is back.
public final class PostgresStore: DataStore, Service {
    let client: PostgresClient
    let logger: Logger
    /// The logger handed to postgres-nio with each statement. postgres-nio only logs statements at debug level but
    /// sets logger metadata on every one, which costs a formatting pass per statement, so below debug it gets a
    /// logger that discards everything.
    let statementLogger: Logger
    let leaseTimeout: Duration
    let timerLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next()

    /// Creates a store for `url`.
    /// - Parameters:
    ///   - maximumConnections: the pool's size.
    ///   - minimumConnections: how many connections the pool keeps open while idle (at most `maximumConnections`).
    ///     Connections above it close after a minute unused.
    ///   - leaseTimeout: how long a transaction waits for a connection before it fails as unavailable.
    ///   - searchPath: the schemas to use (tests give each store a schema of its own); `nil` for the default.
    ///
    /// The pool sends no keep-alive queries: postgres-nio would schedule a keep-alive timer every time a
    /// connection goes back to the pool, and a server that closes a connection is noticed from the socket anyway.
    public init(
        url: DatabaseURL, maximumConnections: Int = 20, minimumConnections: Int = 0, leaseTimeout: Duration = .seconds(5),
        searchPath: String? = nil, logger: Logger
    ) {
        var configuration = url.configuration
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = max(0, min(minimumConnections, maximumConnections))
        configuration.options.keepAliveBehavior = nil
        configuration.options.connectTimeout = .seconds(5)
        if let searchPath { configuration.options.additionalStartupParameters = [("search_path", searchPath)] }
        client = PostgresClient(configuration: configuration, eventLoopGroup: SpreadingEventLoopGroup(), backgroundLogger: logger)
        self.logger = logger
        statementLogger = logger.logLevel <= .debug ? logger : Logger(label: logger.label) { _ in SwiftLogNoOpLogHandler() }
        self.leaseTimeout = leaseTimeout
    }

    /// Runs the connection pool until the task is cancelled or a graceful shutdown begins.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.client.run()
        }
    }

    /// Applies pending schema migrations under an advisory lock; returns the versions applied.
    @discardableResult
    public func migrate() async throws -> [Int] {
        do {
            return try await withLeasedConnection { connection in
                try await Migrator(connection: connection, logger: self.logger).migrate()
            }
        } catch {
            throw PostgresErrors.translate(error)
        }
    }

    /// The schema versions recorded as applied.
    public func appliedMigrations() async throws -> [Int] {
        do {
            return try await withLeasedConnection { connection in
                try await Migrator(connection: connection, logger: self.logger).appliedVersions()
            }
        } catch {
            throw PostgresErrors.translate(error)
        }
    }

    public func transaction<Result: Sendable>(
        _ work: @Sendable (any StoreTransaction) async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await withLeasedConnection { connection in
                    let transaction = PostgresTransaction(connection: connection, logger: self.statementLogger)
                    do {
                        let result = try await work(transaction)
                        if transaction.hasBegun { try await connection.query("COMMIT", logger: self.statementLogger) }
                        return result
                    } catch {
                        if transaction.hasBegun { _ = try? await connection.query("ROLLBACK", logger: self.statementLogger) }
                        throw error
                    }
                }
            } catch where PostgresErrors.isRetryable(error) && attempt < 3 {
                attempt += 1
            } catch {
                throw PostgresErrors.translate(error)
            }
        }
    }

    public func isReady() async -> Bool {
        (try? await withLeasedConnection { connection in
            try await connection.query("SELECT 1", logger: self.logger)
        }) != nil
    }

    /// Leases a connection for `body`, failing with `storeUnavailable` when none is leased within `leaseTimeout`;
    /// once leased, `body` is never cut short.
    private func withLeasedConnection<Result: Sendable>(
        _ body: @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let leased = TransactionFlag()
        let timeout = leaseTimeout
        return try await withoutActuallyEscaping(body) { body in
            try await withThrowingTaskGroup(of: Result?.self) { group in
                group.addTask {
                    try await self.client.withConnection { connection in
                        leased.set()
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try await LoopTimer.sleep(for: timeout, on: self.timerLoop)
                    if !leased.isSet { throw DomainError.storeUnavailable }
                    return nil
                }
                while let outcome = try await group.next() {
                    if let result = outcome {
                        group.cancelAll()
                        return result
                    }
                }
                throw DomainError.storeUnavailable
            }
        }
    }
}
