import Foundation
import PostgresNIO
import TaskCore

/// A prepared statement about one record (`$1`) as one user (`$2`) sees it.
protocol RecordAndUserStatement: PostgresPreparedStatement {
    var recordID: UUID { get }
    var userID: UUID { get }
}

extension RecordAndUserStatement {
    static var bindingDataTypes: [PostgresDataType] { [.uuid, .uuid] }

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(recordID)
        bindings.append(userID)
        return bindings
    }
}

/// A read of one record's access facts (`TaskAccessStatement`, `ProjectAccessStatement`), written as its parts so
/// that the plain read, the claimed one and the locking ones are built from the same SQL.
protocol AccessFactsStatement: RecordAndUserStatement {
    /// The facts the statement reads.
    associatedtype Facts: Sendable & Equatable
    /// The record's table.
    static var table: String { get }
    /// The record's alias in `columns` and `joins`.
    static var alias: String { get }
    /// The select list.
    static var columns: String { get }
    /// The joins after the record's table, with `$2` for the user (the personal-token variants put the user's
    /// column in its place).
    static var joins: String { get }
    /// How many columns `columns` has.
    static var columnCount: Int { get }
    /// The facts in a row that starts with `columns`.
    static func facts(_ row: PostgresRow) throws -> Facts
    /// The SQL of every variant of the read, built once (`AccessStatementTexts(Self.self)` in a `static let`).
    static var texts: AccessStatementTexts { get }
}

extension AccessFactsStatement {
    static var sql: String { texts.plain }
}

/// The SQL and the names of every variant of one access read, built once per record type: postgres-nio reads a
/// prepared statement's `sql` and `name` on every execution, and a generic statement cannot keep them in a stored
/// property of its own, so it looks them up here instead of putting them together again for each request.
struct AccessStatementTexts: Sendable {
    /// A prepared statement's name and SQL.
    struct Text: Sendable {
        let name: String
        let sql: String
    }

    /// The read alone.
    let plain: String
    /// `ClaimedAccessStatement`.
    let claimed: Text
    /// `TokenClaimedAccessStatement`.
    let tokenClaimed: Text
    private let lockedShare: Text, lockedUpdate: Text
    private let claimedLockedShare: Text, claimedLockedUpdate: Text
    private let tokenClaimedLockedShare: Text, tokenClaimedLockedUpdate: Text

    /// `LockedAccessStatement` with `lock`.
    func locked(_ lock: RowLock) -> Text { lock == .share ? lockedShare : lockedUpdate }

    /// `ClaimedLockedAccessStatement` with `lock`.
    func claimedLocked(_ lock: RowLock) -> Text { lock == .share ? claimedLockedShare : claimedLockedUpdate }

    /// `TokenClaimedLockedAccessStatement` with `lock`.
    func tokenClaimedLocked(_ lock: RowLock) -> Text {
        lock == .share ? tokenClaimedLockedShare : tokenClaimedLockedUpdate
    }

    /// The texts of `Read`'s variants. Each variant has a short name of its own: the default (the type's full
    /// name) is longer than PostgreSQL's 63-byte identifiers, and the variants would share its truncated prefix.
    init<Read: AccessFactsStatement>(_: Read.Type) {
        let (table, alias, columns, joins) = (Read.table, Read.alias, Read.columns, Read.joins)
        let user = PostgresRows.userColumns(as: "u")
        plain = "SELECT \(columns) FROM \(table) \(alias) \(joins) WHERE \(alias).id = $1"
        claimed = Text(
            name: "claimed-\(table)",
            sql: """
                SELECT \(columns), \(user)
                FROM users u
                LEFT JOIN \(table) \(alias) ON \(alias).id = $1
                \(joins)
                WHERE u.id = $2
                """)
        /// The CTE that locks the row and returns the version it locked.
        func lockedRow(_ lock: RowLock) -> String {
            "SELECT r.xmin AS seen FROM \(table) r WHERE r.id = $1 FOR \(lock == .share ? "SHARE" : "UPDATE") OF r"
        }
        func locked(_ lock: RowLock) -> Text {
            Text(
                name: "locked-\(table)-\(lock)",
                sql: """
                    WITH locked AS MATERIALIZED (\(lockedRow(lock)))
                    SELECT \(columns), \(alias).xmin = locked.seen
                    FROM locked CROSS JOIN \(table) \(alias)
                    \(joins)
                    WHERE \(alias).id = $1
                    """)
        }
        func claimedLocked(_ lock: RowLock) -> Text {
            Text(
                name: "claimed-locked-\(table)-\(lock)",
                sql: """
                    WITH locked AS MATERIALIZED (\(lockedRow(lock)))
                    SELECT \(columns), \(alias).xmin = locked.seen, \(user)
                    FROM users u
                    LEFT JOIN (locked CROSS JOIN \(table) \(alias)) ON \(alias).id = $1
                    \(joins)
                    WHERE u.id = $2
                    """)
        }
        (lockedShare, lockedUpdate) = (locked(.share), locked(.update))
        (claimedLockedShare, claimedLockedUpdate) = (claimedLocked(.share), claimedLocked(.update))

        // The personal-token variants: the token found by its digest (`$2`) drives the query, its user joined to
        // it and standing for `$2` in the joins; `touched` writes its `last_used_at` (`$3`, `$4`).
        let presented = "personal_access_tokens k JOIN users u ON u.id = k.user_id"
        let presentedColumns = "\(user), \(PostgresRows.presentedTokenColumns(as: "k"))"
        let touched = PostgresRows.touchedToken(digest: "$2", at: "$3", touchingBefore: "$4")
        let tokenJoins = joins.replacingOccurrences(of: "$2", with: "u.id")
        tokenClaimed = Text(
            name: "token-claimed-\(table)",
            sql: """
                WITH \(touched)
                SELECT \(columns), \(presentedColumns)
                FROM \(presented)
                LEFT JOIN \(table) \(alias) ON \(alias).id = $1
                \(tokenJoins)
                WHERE k.digest = $2
                """)
        func tokenClaimedLocked(_ lock: RowLock) -> Text {
            Text(
                name: "token-claimed-locked-\(table)-\(lock)",
                sql: """
                    WITH \(touched), locked AS MATERIALIZED (\(lockedRow(lock)))
                    SELECT \(columns), \(alias).xmin = locked.seen, \(presentedColumns)
                    FROM \(presented)
                    LEFT JOIN (locked CROSS JOIN \(table) \(alias)) ON \(alias).id = $1
                    \(tokenJoins)
                    WHERE k.digest = $2
                    """)
        }
        (tokenClaimedLockedShare, tokenClaimedLockedUpdate) = (tokenClaimedLocked(.share), tokenClaimedLocked(.update))
    }
}

/// A user's row and what `Read` reads about one record for that user, in one prepared query: a request with an
/// access token checks the token's user and reads the record in one round trip. The user drives the query, so no
/// user means no row; no record means a row whose record columns are null.
struct ClaimedAccessStatement<Read: AccessFactsStatement>: RecordAndUserStatement {
    static var name: String { Read.texts.claimed.name }
    static var sql: String { Read.texts.claimed.sql }

    var recordID: UUID
    var userID: UUID

    func decodeRow(_ row: PostgresRow) throws -> ClaimedAccess<Read.Facts> {
        try ClaimedAccess(row, userOffset: Read.columnCount, Read.facts)
    }
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
    static var name: String { Read.texts.locked(Lock.lock).name }
    static var sql: String { Read.texts.locked(Lock.lock).sql }

    var recordID: UUID
    var userID: UUID

    func decodeRow(_ row: PostgresRow) throws -> LockedFacts<Read.Facts> {
        let isCurrent = try PostgresRandomAccessRow(row)[Read.columnCount].decode(Bool.self)
        return LockedFacts(facts: try Read.facts(row), isCurrent: isCurrent)
    }
}

/// `ClaimedAccessStatement` and `LockedAccessStatement` in one: the user's row with the facts of a record whose row
/// the statement locks. A write with an access token checks the token's user, locks the record and reads its facts
/// in one round trip.
struct ClaimedLockedAccessStatement<Read: AccessFactsStatement, Lock: LockClause>: RecordAndUserStatement {
    static var name: String { Read.texts.claimedLocked(Lock.lock).name }
    static var sql: String { Read.texts.claimedLocked(Lock.lock).sql }

    var recordID: UUID
    var userID: UUID

    func decodeRow(_ row: PostgresRow) throws -> ClaimedLockedFacts<Read.Facts> {
        try ClaimedLockedFacts(row, factColumns: Read.columnCount, presentingToken: false, Read.facts)
    }
}

/// A prepared statement about one record (`$1`) as the user of a presented personal access token sees it: the
/// token's digest (`$2`), the moment of the request (`$3`) and the moment before which its `last_used_at` is
/// written again (`$4`).
protocol RecordAndTokenStatement: PostgresPreparedStatement {
    var recordID: UUID { get }
    var lookup: PersonalTokenLookup { get }
}

extension RecordAndTokenStatement {
    static var bindingDataTypes: [PostgresDataType] { [.uuid, .text, .timestamptz, .timestamptz] }

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(recordID)
        bindings.append(lookup)
        return bindings
    }
}

/// `ClaimedAccessStatement` for a request with a personal access token: the token found by its digest, its user,
/// and what `Read` reads about one record for that user, in one prepared query (the token's `last_used_at` written
/// in it when due). The token drives the query, so an unknown token means no row.
struct TokenClaimedAccessStatement<Read: AccessFactsStatement>: RecordAndTokenStatement {
    static var name: String { Read.texts.tokenClaimed.name }
    static var sql: String { Read.texts.tokenClaimed.sql }

    var recordID: UUID
    var lookup: PersonalTokenLookup

    func decodeRow(_ row: PostgresRow) throws -> ClaimedAccess<Read.Facts> {
        try ClaimedAccess(row, userOffset: Read.columnCount, presentingToken: true, Read.facts)
    }
}

/// `ClaimedLockedAccessStatement` for a request with a personal access token (see `TokenClaimedAccessStatement`).
struct TokenClaimedLockedAccessStatement<Read: AccessFactsStatement, Lock: LockClause>: RecordAndTokenStatement {
    static var name: String { Read.texts.tokenClaimedLocked(Lock.lock).name }
    static var sql: String { Read.texts.tokenClaimedLocked(Lock.lock).sql }

    var recordID: UUID
    var lookup: PersonalTokenLookup

    func decodeRow(_ row: PostgresRow) throws -> ClaimedLockedFacts<Read.Facts> {
        try ClaimedLockedFacts(row, factColumns: Read.columnCount, presentingToken: true, Read.facts)
    }
}

/// What `LockedAccessStatement` read: the facts, and whether they are those of the row version now locked.
struct LockedFacts<Facts: Sendable>: Sendable {
    /// The facts as the statement's snapshot saw them.
    var facts: Facts
    /// Whether the snapshot's row is the row the lock returned; when not, `facts` may be out of date.
    var isCurrent: Bool
}

/// What `ClaimedLockedAccessStatement` read: the user and the facts, and whether the facts are those of the row
/// version now locked (`true` when there is no record).
struct ClaimedLockedFacts<Facts: Sendable & Equatable>: Sendable {
    /// The user and the facts as the statement's snapshot saw them.
    var access: ClaimedAccess<Facts>
    /// Whether the snapshot's row is the row the lock returned.
    var isCurrent: Bool

    init(access: ClaimedAccess<Facts>, isCurrent: Bool) {
        self.access = access
        self.isCurrent = isCurrent
    }

    /// The claimed locking read in `row`: the facts' `factColumns` columns, the version comparison after them,
    /// then the user's columns and, when `presentingToken`, the token's.
    init(_ row: PostgresRow, factColumns: Int, presentingToken: Bool, _ facts: (PostgresRow) throws -> Facts) throws {
        access = try ClaimedAccess(row, userOffset: factColumns + 1, presentingToken: presentingToken, facts)
        isCurrent = try PostgresRandomAccessRow(row)[factColumns].decode(Bool?.self) ?? true
    }
}

extension ClaimedAccess {
    /// The claimed read in `row`: a record's facts in its first columns (all null when the outer join found no
    /// record, read by `facts` otherwise), the user's `userColumns` from `userOffset` on and, when
    /// `presentingToken`, the token's `personalTokenColumns` after them.
    init(_ row: PostgresRow, userOffset: Int, presentingToken: Bool = false, _ facts: (PostgresRow) throws -> Facts)
        throws
    {
        let cells = PostgresRandomAccessRow(row)
        let user = try PostgresRows.user(cells, from: userOffset)
        let token =
            presentingToken
            ? try PostgresRows.personalToken(cells, from: userOffset + PostgresRows.userColumnCount) : nil
        let found = try row.first?.decode(UUID?.self) != nil
        self.init(user: user, token: token, facts: found ? try facts(row) : nil)
    }
}
