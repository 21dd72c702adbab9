import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import ServiceLifecycle
import Synchronization
import TaskCore

/// The production store: PostgreSQL through postgres-nio's connection pool, one pool per host of the URL; the
/// transactions go to the host `PrimaryLocator` picks (the first that answers with a session that can write, when
/// the URL says `target_session_attrs=read-write`), and find the new one by themselves after a failover.
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
    let locator: PrimaryLocator
    /// The hosts of the direct URL, for session-level work a pooler in transaction mode cannot carry (the migration
    /// lock, `LISTEN`); `locator` when there is no direct URL.
    let directLocator: PrimaryLocator
    /// Whether statements taskd runs often are prepared once per connection (off behind a transaction pooler).
    let usesPreparedStatements: Bool
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
    /// Rung when this store committed deliveries, or learnt that another process did.
    public let deliverySignal = EventSignal()
    /// Tells this store's event notifications from other stores'.
    let id = UUID().uuidString
    let listensForEvents: Bool

    /// Creates a store for `url`.
    /// - Parameters:
    ///   - pool: the pool's size and time limits.
    ///   - searchPath: the schemas to use (tests give each store a schema of its own); `nil` for the default.
    ///   - listensForEvents: whether `run()` also listens for other processes' event notifications, on a connection
    ///     of its own (off for tests that open many stores and need no cross-store wake-ups).
    ///   - directURL: a URL that reaches PostgreSQL itself when `url` goes through a pooler in transaction mode: the
    ///     migration lock and `LISTEN` hold a session, which such a pooler cannot give them.
    ///   - usesPreparedStatements: whether frequent statements are prepared once per connection; `false` behind a
    ///     pooler in transaction mode (PgBouncer 1.18 does not carry named prepared statements there).
    public init(
        url: DatabaseURL, pool: PoolSettings = PoolSettings(), searchPath: String? = nil, listensForEvents: Bool = true,
        directURL: DatabaseURL? = nil, usesPreparedStatements: Bool = true, logger: Logger
    ) {
        self.listensForEvents = listensForEvents
        self.usesPreparedStatements = usesPreparedStatements
        locator = Self.locator(
            url, pool: pool, searchPath: searchPath, listener: listensForEvents && directURL == nil, logger: logger)
        if let directURL {
            var direct = pool
            direct.size = 1
            directLocator = Self.locator(
                directURL, pool: direct, searchPath: searchPath, listener: listensForEvents, logger: logger)
        } else {
            directLocator = locator
        }
        self.logger = logger
        statementLogger =
            logger.logLevel <= .debug ? logger : Logger(label: logger.label) { _ in SwiftLogNoOpLogHandler() }
        timeout = pool.timeout
    }

    /// The hosts of `url`, a pool for each; one connection more when the listener holds one of them for good.
    private static func locator(
        _ url: DatabaseURL, pool: PoolSettings, searchPath: String?, listener: Bool, logger: Logger
    ) -> PrimaryLocator {
        let clients = url.configurations.map { host in
            var configuration = host
            pool.apply(to: &configuration.options)
            // The listener holds one connection for good: it comes on top of the pool's size.
            if listener { configuration.options.maximumConnections += 1 }
            if let searchPath {
                configuration.options.additionalStartupParameters.append(("search_path", searchPath))
            }
            return PostgresClient(
                configuration: configuration, eventLoopGroup: SpreadingEventLoopGroup(), backgroundLogger: logger)
        }
        return PrimaryLocator(
            clients: clients, hosts: url.tcpHosts, target: url.targetSession,
            probeTimeout: pool.connectTimeout + .seconds(1), logger: logger)
    }

    /// How often the host in use is checked again when the URL names several hosts or a session kind.
    static let hostRecheckInterval: Duration = .seconds(2)

    /// Runs the connection pools, the listener for other processes' event notifications and, with several hosts,
    /// the periodic check of the host in use, until the task is cancelled or a graceful shutdown begins.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for client in self.locator.clients { group.addTask { await client.run() } }
                if self.directLocator !== self.locator {
                    for client in self.directLocator.clients { group.addTask { await client.run() } }
                }
                if self.listensForEvents {
                    group.addTask {
                        await PostgresEventListener(
                            locator: self.directLocator, storeID: self.id, signal: self.eventSignal,
                            deliverySignal: self.deliverySignal, logger: self.logger
                        ).run()
                    }
                }
                if self.locator.checksHosts || self.directLocator.checksHosts {
                    group.addTask {
                        while !Task.isCancelled {
                            try? await LoopTimer.sleep(for: Self.hostRecheckInterval, on: self.timerLoop)
                            await self.locator.recheck()
                            if self.directLocator !== self.locator { await self.directLocator.recheck() }
                        }
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
            return try await withLeasedConnection(through: directLocator) { connection in
                try await Migrator(connection: connection, logger: self.logger).migrate()
            }
        } catch {
            throw PostgresErrors.translate(error)
        }
    }

    /// The schema versions recorded as applied.
    public func appliedMigrations() async throws -> [Int] {
        do {
            return try await withLeasedConnection(through: directLocator) { connection in
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
                    transaction.usesPreparedStatements = self.usesPreparedStatements
                    transaction.storeID = self.id
                    do {
                        let result = try await JoinedTransactions.$postgres.withValue(
                            (ObjectIdentifier(self), transaction)
                        ) {
                            try await work(transaction)
                        }
                        if transaction.hasBegun {
                            try await transaction.readyForStatement()
                            try await connection.query("COMMIT", logger: self.statementLogger)
                        }
                        if transaction.recordedEvents.isSet { self.eventSignal.notify() }
                        if transaction.queuedDeliveries.isSet { self.deliverySignal.notify() }
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
    /// `body` is never cut short. One watched deadline covers the lease and the work.
    private func withLeasedConnection<Result: Sendable>(
        through locator: PrimaryLocator? = nil, until deadline: NIODeadline? = nil,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let locator = locator ?? self.locator
        let lease = LeaseState()
        let leaseDeadline = deadline ?? NIODeadline.now() + TimeAmount(timeout)
        let logger = logger
        return try await DeadlineRace.run(
            until: leaseDeadline,
            expire: {
                switch lease.expire(cuttingWork: deadline != nil) {
                case .notLeased:
                    return true
                case .leased(let connection):
                    logger.warning("closing a database connection whose transaction ran past its deadline")
                    _ = connection.close() as EventLoopFuture<Void>
                    return true
                case .goesOn:
                    return false
                }
            }
        ) {
            let (client, host) = try await locator.client(until: leaseDeadline)
            do {
                return try await client.withConnection { connection in
                    // A connection leased after the deadline passed runs nothing: its caller has its answer.
                    guard lease.begin(on: connection) else { throw DomainError.storeUnavailable }
                    return try await body(connection)
                }
            } catch {
                // A host lost, or one that became a standby: the next transaction looks for the host again.
                if PostgresErrors.translate(error) as? DomainError == .storeUnavailable
                    || PostgresErrors.sqlState(of: error) == "25006"
                {
                    locator.forget(host)
                }
                throw error
            }
        }
    }
}

/// Where one lease stands, for its deadline: waiting for a connection, running on one, or past its deadline.
private final class LeaseState: Sendable {
    /// What the deadline finds.
    enum Expiry {
        /// No connection yet: none will be used.
        case notLeased
        /// The work runs on this connection, which the deadline closes.
        case leased(PostgresConnection)
        /// The work runs, and the deadline (a lease's only) does not cut it short.
        case goesOn
    }

    private enum State {
        case waiting
        case running(PostgresConnection)
        case expired
    }

    private let state = Mutex(State.waiting)

    /// Records the leased connection; `false` when the deadline passed first.
    func begin(on connection: PostgresConnection) -> Bool {
        state.withLock { state in
            guard case .waiting = state else { return false }
            state = .running(connection)
            return true
        }
    }

    /// What the deadline does now: when `cuttingWork`, a running lease ends too.
    func expire(cuttingWork: Bool) -> Expiry {
        state.withLock { state in
            switch state {
            case .waiting, .expired:
                state = .expired
                return .notLeased
            case .running(let connection):
                guard cuttingWork else { return .goesOn }
                state = .expired
                return .leased(connection)
            }
        }
    }
}
