import Foundation
import Logging
import PostgresNIO
import TaskCore

/// A transaction of `PostgresStore`: every read and write runs on the one leased connection, between `BEGIN`
/// and `COMMIT`. Every value is a bound parameter; no SQL is built from user text.
struct PostgresTransaction: StoreTransaction {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs a statement, discarding rows.
    func execute(_ query: PostgresQuery) async throws {
        try await connection.query(query, logger: logger)
    }

    /// Runs a statement and returns how many rows it changed.
    func changedRows(_ query: PostgresQuery) async throws -> Int {
        var count = 0
        for try await _ in try await connection.query(query + " RETURNING 1", logger: logger) { count += 1 }
        return count
    }

    /// Runs a query and maps every row.
    func rows<Row>(_ query: PostgresQuery, _ map: (PostgresRow) throws -> Row) async throws -> [Row] {
        var result: [Row] = []
        for try await row in try await connection.query(query, logger: logger) {
            result.append(try map(row))
        }
        return result
    }
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
