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
/// `PostgresTransaction`), and rolls back when the use case throws.
///
/// Every wait is bounded. A transaction, from the moment it asks for a connection to its `COMMIT`, has `timeout`
/// (`PoolSettings.timeout`): past it, a transaction still waiting for a connection fails, and one still running has
/// its connection closed (which fails its statement at once, even when the server has stopped answering), both
/// with `DomainError.storeUnavailable`. PostgreSQL itself cancels a statement after `statementTimeout` and ends a
/// session left idle inside a transaction. The pool keeps trying to connect, so taskd recovers by itself when the
/// database is back.
public final class PostgresStore: DataStore, Service {
    let client: PostgresClient
    let logger: Logger
    /// The logger handed to postgres-nio with each statement. postgres-nio only logs statements at debug level but
    /// sets logger metadata on every one, which costs a formatting pass per statement, so below debug it gets a
    /// logger that discards everything.
    let statementLogger: Logger
    let timeout: Duration
    let timerLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next()
    /// Notified after each commit of a transaction that recorded events, and when another store on the database
    /// says it committed some (`PostgresEventListener`).
    public let eventSignal = EventSignal()
    /// Tells this store's event notifications from other stores'.
    let id = UUID().uuidString
    let listensForEvents: Bool

    /// Creates a store for `url`.
    /// - Parameters:
    ///   - pool: the pool's size and time limits.
    ///   - searchPath: the schemas to use (tests give each store a schema of its own); `nil` for the default.
    ///   - listensForEvents: whether `run()` also listens for other processes' event notifications, on a connection
    ///     of its own (off for tests that open many stores and need no cross-store wake-ups).
    public init(
        url: DatabaseURL, pool: PoolSettings = PoolSettings(), searchPath: String? = nil, listensForEvents: Bool = true,
        logger: Logger
    ) {
        self.listensForEvents = listensForEvents
        var configuration = url.configuration
        pool.apply(to: &configuration.options)
        // The listener holds one connection for good: it comes on top of the pool's size.
        if listensForEvents { configuration.options.maximumConnections += 1 }
        if let searchPath { configuration.options.additionalStartupParameters.append(("search_path", searchPath)) }
        client = PostgresClient(
            configuration: configuration, eventLoopGroup: SpreadingEventLoopGroup(), backgroundLogger: logger)
        self.logger = logger
        statementLogger =
            logger.logLevel <= .debug ? logger : Logger(label: logger.label) { _ in SwiftLogNoOpLogHandler() }
        timeout = pool.timeout
    }

    /// Runs the connection pool, and the listener for other processes' event notifications, until the task is
    /// cancelled or a graceful shutdown begins.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.client.run() }
                if self.listensForEvents {
                    group.addTask {
                        await PostgresEventListener(
                            client: self.client, storeID: self.id, signal: self.eventSignal, logger: self.logger
                        ).run()
                    }
                }
                await group.next()
                group.cancelAll()
            }
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

    /// Runs `work` on one leased connection within the deadline, retrying it whole after a deadlock, a serialization failure or a vanished row.
    public func transaction<Result: Sendable>(
        _ work: @escaping @Sendable (any StoreTransaction) async throws -> Result
    ) async throws -> Result {
        if let joined = JoinedTransactions.postgres, joined.store == ObjectIdentifier(self) {
            return try await joinedTransaction(joined.transaction, work)
        }
        var attempt = 1
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        while true {
            do {
                return try await withLeasedConnection(until: deadline) { connection in
                    var transaction = PostgresTransaction(connection: connection, logger: self.statementLogger)
                    transaction.storeID = self.id
                    do {
                        let result = try await JoinedTransactions.$postgres.withValue(
                            (ObjectIdentifier(self), transaction)
                        ) {
                            try await work(transaction)
                        }
                        if transaction.hasBegun {
                            try transaction.requireOpenConnection()
                            try await connection.query("COMMIT", logger: self.statementLogger)
                        }
                        if transaction.recordedEvents.isSet { self.eventSignal.notify() }
                        return result
                    } catch {
                        if transaction.hasBegun, !connection.isClosed {
                            _ = try? await connection.query("ROLLBACK", logger: self.statementLogger)
                        }
                        throw error
                    }
                }
            } catch  where PostgresErrors.isRetryable(error) && attempt < 3 {
                attempt += 1
            } catch {
                throw PostgresErrors.translate(error)
            }
        }
    }

    /// Runs `work` inside the transaction the current task already runs in. Its errors go to the outer
    /// transaction's work, which must let them out: a deadlock or a vanished row as it is, so that the outer
    /// transaction is retried whole; anything else translated, as from a transaction of its own.
    private func joinedTransaction<Result: Sendable>(
        _ transaction: PostgresTransaction, _ work: @escaping @Sendable (any StoreTransaction) async throws -> Result
    ) async throws -> Result {
        do {
            return try await work(transaction)
        } catch  where PostgresErrors.isRetryable(error) {
            throw error
        } catch {
            throw PostgresErrors.translate(error)
        }
    }

    /// Whether PostgreSQL answers `SELECT 1` within the deadline.
    public func isReady() async -> Bool {
        (try? await withLeasedConnection(until: NIODeadline.now() + TimeAmount(timeout)) { connection in
            try await connection.query("SELECT 1", logger: self.logger)
        }) != nil
    }

    /// Leases a connection for `body`, failing with `storeUnavailable` when none is leased by `deadline`. When
    /// `deadline` passes while `body` runs, the connection is closed, so that nothing `body` sends afterwards can
    /// commit, and the caller gets `storeUnavailable` at once (`DeadlineRace`), even from a server that stopped
    /// answering; the pool replaces the connection. Without a deadline (migrations), the lease waits `timeout` and
    /// `body` is never cut short.
    private func withLeasedConnection<Result: Sendable>(
        until deadline: NIODeadline? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let leased = TransactionFlag()
        let leaseDeadline = deadline ?? NIODeadline.now() + TimeAmount(timeout)
        let logger = logger
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await self.client.withConnection { connection in
                    leased.set()
                    guard let deadline else { return try await body(connection) }
                    return try await DeadlineRace.run(
                        until: deadline, on: self.timerLoop,
                        expire: {
                            logger.warning("closing a database connection whose transaction ran past its deadline")
                            _ = connection.close() as EventLoopFuture<Void>
                        },
                        { try await body(connection) })
                }
            }
            group.addTask {
                try await LoopTimer.sleep(until: leaseDeadline, on: self.timerLoop)
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
