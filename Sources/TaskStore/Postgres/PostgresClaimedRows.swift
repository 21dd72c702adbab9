import Foundation
import PostgresNIO
import TaskCore

/// The rows of a claimed read whose claimed user drives the statement: each row holds the user's columns, then a
/// record's from an outer join, null when it found none (`users u LEFT JOIN LATERAL (…) ON true WHERE u.id = …`).
/// No row means no such user.
enum PostgresClaimedRows {
    /// A row of the user's columns followed, from `offset`, by a record's (`decode`), whose first column, its id,
    /// is null when the join found none.
    static func userWith<Record>(
        _ row: PostgresRow, recordAt offset: Int = PostgresRows.userColumnCount,
        _ decode: (PostgresRandomAccessRow, Int) throws -> Record
    ) throws -> (User, Record?) {
        let cells = PostgresRandomAccessRow(row)
        let user = try PostgresRows.user(cells, from: 0)
        guard try cells[offset].decode(UUID?.self) != nil else { return (user, nil) }
        return (user, try decode(cells, offset))
    }

    /// The claimed user and the one record the rows carry.
    static func one<Record>(_ rows: [(User, Record?)]) -> ClaimedAccess<Record> {
        guard let first = rows.first else { return ClaimedAccess(user: nil, facts: nil) }
        return ClaimedAccess(user: first.0, facts: first.1)
    }

    /// The claimed user and the page of records the rows carry (empty when the join found none).
    static func page<Record>(_ rows: [(User, Record?)]) -> ClaimedAccess<[Record]> {
        guard let first = rows.first else { return ClaimedAccess(user: nil, facts: nil) }
        return ClaimedAccess(user: first.0, facts: rows.compactMap(\.1))
    }
}
