import Foundation
import Logging
import PostgresNIO
import Synchronization
import TaskCore

/// A transaction of `PostgresStore`: every read and write runs on the one leased connection. Every value is a
/// bound parameter; no SQL is built from user text.
///
/// `BEGIN` is sent just before the first write or locking read, and `COMMIT` only when it was sent. Under READ
/// COMMITTED every statement reads the latest committed rows whether or not a transaction is open, so reads
/// before the first write see exactly what they would inside one; a use case that only reads then costs one round
/// trip per query instead of two more for `BEGIN` and `COMMIT`.
///
/// A new task's write is held back until the transaction's next statement (`DeferredWrite`): when that statement
/// is the record of a keyed request's answer, both go in one statement; any other statement, and `COMMIT`, sends
/// the write on its own first, so statements still reach PostgreSQL in the order the transaction made them.
struct PostgresTransaction: StoreTransaction {
    let connection: PostgresConnection
    let logger: Logger
    /// The id of the store running the transaction, which its event notifications carry.
    var storeID = ""
    let opened = TransactionFlag()
    /// Set when the transaction recorded events: readers waiting for some are woken after it commits.
    let recordedEvents = TransactionFlag()
    /// Set when the transaction queued webhook deliveries.
    let queuedDeliveries = TransactionFlag()
    /// Whether `PostgresPreparedStatement`s are prepared (named, parsed once per connection). Off behind a pooler in
    /// transaction mode, which hands each transaction any server connection: they are then sent as plain statements.
    var usesPreparedStatements = true
    /// A write held back for the next statement to carry.
    let deferredWrite = DeferredWrite()

    /// Whether `BEGIN` was sent.
    var hasBegun: Bool { opened.isSet }

    /// Sends `BEGIN` unless it was sent already.
    func beginIfNeeded() async throws {
        guard !opened.isSet else { return }
        try requireOpenConnection()
        try await connection.query("BEGIN", logger: logger)
        opened.set()
    }

    /// Throws `storeUnavailable` when the connection is closed. postgres-nio 1.33.2 never answers a statement
    /// written to a connection whose channel has closed (the write is dropped with nobody to fail it), so every
    /// statement checks first; `PostgresStore`'s deadline covers a connection that closes in between.
    func requireOpenConnection() throws {
        if connection.isClosed { throw DomainError.storeUnavailable }
    }

    /// Checks the connection, then sends the held-back write, if any, so that it runs before the next statement.
    func readyForStatement() async throws {
        try requireOpenConnection()
        try await flushDeferredWrite()
    }

    /// Sends the held-back write, if any; its errors are the transaction's, as if it had been sent when it was made.
    func flushDeferredWrite() async throws {
        guard let statement = deferredWrite.take() else { return }
        noteRecorded(queued: try await rows(statement))
    }

    /// Runs a statement that writes, reading its rows to the end: an error PostgreSQL reports after the first row
    /// (a statement cancelled by `statement_timeout`) arrives only in the row stream.
    func execute(_ query: PostgresQuery) async throws {
        try await beginIfNeeded()
        try await readyForStatement()
        for try await _ in try await connection.query(query, logger: logger) {}
    }

    /// Runs a statement that writes and returns how many rows it changed.
    func changedRows(_ query: PostgresQuery) async throws -> Int {
        try await beginIfNeeded()
        try await readyForStatement()
        var count = 0
        for try await _ in try await connection.query(query + " RETURNING 1", logger: logger) { count += 1 }
        return count
    }

    /// Runs a locking query (`FOR UPDATE`, `FOR SHARE`) inside the transaction and maps every row.
    func lockedRows<Row>(_ query: PostgresQuery, _ map: (PostgresRow) throws -> Row) async throws -> [Row] {
        try await beginIfNeeded()
        return try await rows(query, map)
    }

    /// Runs a query and maps every row.
    func rows<Row>(_ query: PostgresQuery, _ map: (PostgresRow) throws -> Row) async throws -> [Row] {
        try await readyForStatement()
        var result: [Row] = []
        for try await row in try await connection.query(query, logger: logger) {
            result.append(try map(row))
        }
        return result
    }
}

extension PostgresTransaction {
    /// Runs a prepared statement that writes, discarding rows.
    func execute<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws where Statement.Row == () {
        try await beginIfNeeded()
        try await readyForStatement()
        guard usesPreparedStatements else {
            for try await _ in try await connection.query(try Self.plain(statement), logger: logger) {}
            return
        }
        _ = try await connection.execute(statement, logger: logger)
    }

    /// Runs a prepared statement that writes and returns one row per changed row; returns how many it changed.
    func changedRows<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> Int {
        try await beginIfNeeded()
        return try await rows(statement).count
    }

    /// Runs a locking prepared statement inside the transaction and returns its decoded rows.
    func lockedRows<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        try await beginIfNeeded()
        return try await rows(statement)
    }

    /// Runs a prepared statement (parsed once per connection) and returns its decoded rows.
    func rows<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        try await readyForStatement()
        var result: [Statement.Row] = []
        guard usesPreparedStatements else {
            for try await row in try await connection.query(try Self.plain(statement), logger: logger) {
                result.append(try statement.decodeRow(row))
            }
            return result
        }
        for try await row in try await connection.execute(statement, logger: logger) { result.append(row) }
        return result
    }

    /// The statement as a plain (unnamed) one: parsed each time, but by whichever server connection runs it.
    static func plain<Statement: PostgresPreparedStatement>(_ statement: Statement) throws -> PostgresQuery {
        PostgresQuery(unsafeSQL: Statement.sql, binds: try statement.makeBindings())
    }
}

/// A write whose answer no one waits for, held back so that the statement after it can carry it: a new task with
/// its events, which a keyed request's record of its answer joins (`InsertTaskWithEventsRecordingAnswerStatement`),
/// one round trip instead of two. Shared by the copies of a transaction.
final class DeferredWrite: Sendable {
    private let statement = Mutex<InsertTaskWithEventsStatement?>(nil)

    /// Holds `write` back; the caller sends whatever was held before.
    func hold(_ write: InsertTaskWithEventsStatement) {
        statement.withLock { $0 = write }
    }

    /// The held-back write, which the caller now sends; `nil` when there is none.
    func take() -> InsertTaskWithEventsStatement? {
        statement.withLock { held in
            defer { held = nil }
            return held
        }
    }
}

/// A flag set once and read from other tasks: whether a transaction's `BEGIN` was sent, or whether a connection
/// was leased before the lease timeout.
final class TransactionFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .releasing) }

    var isSet: Bool { value.load(ordering: .acquiring) }
}

extension PostgresQuery {
    /// Appends trusted SQL text (a keyword, a column list); never user input.
    static func + (query: PostgresQuery, sql: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: query.sql + sql, binds: query.binds)
    }
}

/// Builds a query whose shape depends on the request (which filters, which sort) from trusted SQL fragments and
/// bound parameters.
struct SQLBuilder {
    private(set) var sql: String
    private(set) var binds = PostgresBindings()

    init(_ sql: String) {
        self.sql = sql
    }

    /// Appends trusted SQL text.
    mutating func append(_ text: String) {
        sql += text
    }

    /// Binds a value and returns its placeholder (`$3`).
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Binds a value or `NULL` and returns its placeholder.
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value?) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Appends "strictly after `after` in `(column, id)` ascending order" (nothing without a position).
    mutating func appendAfter(_ after: PagePosition?, dateColumn: String, idColumn: String) {
        guard let after, case .date(let date) = after.value else { return }
        append(" AND (\(dateColumn), \(idColumn)) > (\(bind(date.bound)), \(bind(after.id)))")
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}
