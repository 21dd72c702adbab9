import Foundation
import PostgresNIO

/// A read of one record's access facts (`TaskAccessStatement`, `ProjectAccessStatement`), written as its parts so
/// that the plain read and the locking one (`LockedAccessStatement`) are built from the same SQL.
protocol AccessFactsStatement: RecordAndUserStatement {
    /// The facts the statement reads.
    associatedtype Facts: Sendable
    /// The record's table.
    static var table: String { get }
    /// The record's alias in `columns` and `joins`.
    static var alias: String { get }
    /// The select list.
    static var columns: String { get }
    /// The joins after the record's table, with `$2` for the user.
    static var joins: String { get }
    /// How many columns `columns` has.
    static var columnCount: Int { get }
    /// The facts in a row that starts with `columns`.
    static func facts(_ row: PostgresRow) throws -> Facts
}

extension AccessFactsStatement {
    static var sql: String { "SELECT \(columns) FROM \(table) \(alias) \(joins) WHERE \(alias).id = $1" }
}

/// A record's access facts read by the statement that locks the record's row: one round trip instead of a lock
/// and then a read.
///
/// Under READ COMMITTED a statement reads one snapshot, taken when it starts. When the lock has to wait for a
/// transaction that changes the row, the lock returns the row as that change left it, but the joins still read
/// the snapshot: the facts may be older than the row now locked (a task that moved to another project). The row
/// version the lock returned (`xmin`) is compared with the one the joins read; when they differ the facts are
/// marked stale, and the caller reads them again in a statement of its own, which sees the change. Without a
/// concurrent change, the usual case, the one statement is all.
struct LockedAccessStatement<Read: AccessFactsStatement, Lock: LockClause>: RecordAndUserStatement {
    /// A name of its own for each variant: the default (the type's full name) is longer than PostgreSQL's 63-byte
    /// identifiers, and the variants would share its truncated prefix.
    static var name: String { "locked-\(Read.table)-\(Lock.self)" }

    static var sql: String {
        let alias = Read.alias
        return """
            WITH locked AS MATERIALIZED (
                SELECT r.xmin AS seen FROM \(Read.table) r WHERE r.id = $1\(Lock.clause(locking: "r")))
            SELECT \(Read.columns), \(alias).xmin = locked.seen
            FROM locked CROSS JOIN \(Read.table) \(alias)
            \(Read.joins)
            WHERE \(alias).id = $1
            """
    }

    var recordID: UUID
    var userID: UUID

    init(_ recordID: UUID, _ userID: UUID) {
        self.recordID = recordID
        self.userID = userID
    }

    func decodeRow(_ row: PostgresRow) throws -> LockedFacts<Read.Facts> {
        let isCurrent = try PostgresRandomAccessRow(row)[Read.columnCount].decode(Bool.self)
        return LockedFacts(facts: try Read.facts(row), isCurrent: isCurrent)
    }
}

/// What `LockedAccessStatement` read: the facts, and whether they are those of the row version now locked.
struct LockedFacts<Facts: Sendable>: Sendable {
    /// The facts as the statement's snapshot saw them.
    var facts: Facts
    /// Whether the snapshot's row is the row the lock returned; when not, `facts` may be out of date.
    var isCurrent: Bool
}
