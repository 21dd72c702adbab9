import PostgresNIO

/// The size and the time limits of `PostgresStore`'s connection pool and of the sessions it opens.
///
/// The pool keeps no minimum of open connections (`minimumConnections` is always 0): postgres-nio 1.33.2 asserts,
/// with a `precondition` that stops the process, that a pool never holds fewer connections than its minimum when a
/// request arrives, and a database restart or failover brings it below any minimum above 0 (see
/// `docs/decisions/0005-postgres-pool-without-minimum.md`). Connections open on demand, up to `size`, and close
/// after `idleTimeout` unused.
public struct PoolSettings: Sendable, Equatable {
    /// The most connections the pool opens.
    public var size: Int
    /// How long a transaction may take, from asking for a connection to its end, before it fails with
    /// `storeUnavailable`.
    public var timeout: Duration
    /// How long PostgreSQL lets one statement run before it cancels it (`statement_timeout`).
    public var statementTimeout: Duration
    /// How long a connection stays open unused before the pool closes it.
    public var idleTimeout: Duration
    /// How long opening a connection may take.
    public var connectTimeout: Duration

    /// Creates settings; the defaults are taskd's.
    public init(
        size: Int = 20, timeout: Duration = .seconds(4), statementTimeout: Duration = .seconds(3),
        idleTimeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(3)
    ) {
        self.size = max(1, size)
        self.timeout = timeout
        self.statementTimeout = statementTimeout
        self.idleTimeout = idleTimeout
        self.connectTimeout = connectTimeout
    }

    /// Sets these on a client's options, with the session settings PostgreSQL applies server-side: the statement
    /// timeout, an idle-in-transaction timeout (a session left open inside a transaction is ended), and TCP
    /// keep-alive on the server's end of each connection, so that a connection whose client vanished is found
    /// and closed within a minute.
    func apply(to options: inout PostgresClient.Configuration.Options) {
        options.maximumConnections = size
        options.minimumConnections = 0
        options.connectionIdleTimeout = idleTimeout
        // No keep-alive queries: postgres-nio would schedule a timer every time a connection goes back to the
        // pool (docs/decisions/0004). A dead connection is found by the deadline of the transaction using it.
        options.keepAliveBehavior = nil
        options.connectTimeout = connectTimeout
        options.additionalStartupParameters += [
            ("statement_timeout", "\(Self.milliseconds(statementTimeout))"),
            ("idle_in_transaction_session_timeout", "\(Self.milliseconds(timeout) * 2)"),
            ("tcp_keepalives_idle", "30"),
            ("tcp_keepalives_interval", "10"),
            ("tcp_keepalives_count", "3"),
        ]
    }

    /// `duration` in whole milliseconds, as PostgreSQL's time settings take it; clamped instead of overflowing.
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let whole = seconds.multipliedReportingOverflow(by: 1000)
        guard !whole.overflow else { return seconds < 0 ? Int64.min : Int64.max }
        return whole.partialValue.addingReportingOverflow(attoseconds / 1_000_000_000_000_000).partialValue
    }
}
