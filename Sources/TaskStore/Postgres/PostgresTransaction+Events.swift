import Foundation
import PostgresNIO
import TaskCore

extension PostgresTransaction {
    func appendEvents(_ events: [ActivityEvent]) async throws {
        guard !events.isEmpty else { return }
        noteRecorded(queued: try await lockedRows(try insertStatement(for: events)))
    }

    /// Inserts the task and the events in one statement, held back for the transaction's next statement to carry
    /// (see `DeferredWrite`): nothing the use case does next depends on its answer.
    func insertTask(_ task: TaskItem, recording events: [ActivityEvent]) async throws {
        guard !events.isEmpty else { return try await insertTask(task) }
        let statement = InsertTaskWithEventsStatement(
            write: InsertTaskStatement(task: task), events: try insertStatement(for: events))
        try await flushDeferredWrite()
        try await beginIfNeeded()
        deferredWrite.hold(statement)
    }

    /// The statement that appends `events`.
    func insertStatement(for events: [ActivityEvent]) throws -> InsertEventsStatement {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let changes = try events.map { String(decoding: try encoder.encode($0.changes), as: UTF8.self) }
        return InsertEventsStatement(events: events, changes: changes, writer: storeID)
    }

    /// Notes that the transaction recorded events and, when the statement's row says so, queued deliveries.
    func noteRecorded(queued: [Bool]) {
        recordedEvents.set()
        if queued.contains(true) { queuedDeliveries.set() }
    }

    func events(of taskID: TaskID, after: PagePosition?, limit: Int) async throws -> [SequencedEvent] {
        var sequenceAfter = 0
        if let after, case .int(let sequence) = after.value { sequenceAfter = sequence }
        return try await rows(
            """
            SELECT \(unescaped: PostgresRows.eventColumns) FROM activity_events
            WHERE task_id = \(taskID.uuid) AND sequence > \(Int64(sequenceAfter))
            ORDER BY sequence LIMIT \(limit)
            """, PostgresRows.event)
    }

    /// Events in `(xid, sequence)` order, and only those of transactions older than the oldest one still running
    /// (`pg_snapshot_xmin`): a transaction id is taken before its transaction commits, so an event below that
    /// bound can no longer be joined by one that sorts before it. A position taken as "now" also carries the
    /// snapshot of that moment, whose committed transactions are skipped (`pg_visible_in_snapshot`).
    func feedEvents(in scope: FeedScope, after position: FeedPosition, kinds: Set<ActivityEventKind>?, limit: Int)
        async throws -> FeedPage
    {
        let snapshot = try position.committedBefore.map(FeedSnapshot.init(checking:))
        var builder = SQLBuilder("")
        // The transaction id goes out as text under a name of its own: under the name `xid`, the output column would
        // be what `ORDER BY xid` sorts by (PostgreSQL resolves a bare name in ORDER BY to an output column first),
        // ordering `1000` before `999`, and no index could serve the order.
        let columns = "\(PostgresRows.eventColumns), xid::text AS feed_xid"
        /// One ordered, limited scan of an index whose first column is `column`; `merged` adds the sort column that
        /// the merge of two scans orders by.
        func scan(_ column: String, _ id: UUID, merged: Bool = false) {
            let sortColumn = merged ? ", xid AS order_xid" : ""
            builder.append(
                "SELECT \(columns)\(sortColumn) FROM activity_events WHERE \(column) = \(builder.bind(id))")
            builder.append(" AND xid < pg_snapshot_xmin(pg_current_snapshot())")
            builder.append(
                " AND (xid, sequence) > (\(builder.bind(String(position.transaction)))::xid8, "
                    + "\(builder.bind(position.sequence)))")
            if let snapshot {
                builder.append(" AND NOT pg_visible_in_snapshot(xid, \(builder.bind(snapshot.text))::pg_snapshot)")
            }
            if let kinds {
                builder.append(" AND kind = ANY(\(builder.bind(kinds.map(\.rawValue).sorted()))::text[])")
            }
            builder.append(" ORDER BY xid, sequence LIMIT \(builder.bind(limit))")
        }
        switch scope {
        case .workspace(let id):
            scan("workspace_id", id.uuid)
        case .project(let id):
            // Two ordered index scans merged, instead of one scan with OR, which would sort every row after the
            // position: a project's own events, and the moves out of it.
            builder.append("SELECT \(PostgresRows.eventColumns), feed_xid FROM ((")
            scan("project_id", id.uuid, merged: true)
            builder.append(") UNION ALL (")
            scan("former_project_id", id.uuid, merged: true)
            builder.append(")) AS feed ORDER BY order_xid, sequence LIMIT \(builder.bind(limit))")
        }
        let found = try await rows(builder.query) { row in
            // The event's columns come first; the transaction id is the last column.
            let cells = row.makeRandomAccess()
            return (try PostgresRows.event(row), try cells[cells.count - 1].decode(String.self))
        }
        let positions = try found.map { event, text in
            guard let xid = UInt64(text) else { throw DomainError.storeUnavailable }
            // The snapshot of "now" matters only until the reader has passed the transactions it knew of.
            let stillExcluding = snapshot.map { xid < $0.xmax } ?? false
            return FeedPosition(
                transaction: xid, sequence: Int64(event.sequence),
                committedBefore: stillExcluding ? position.committedBefore : nil)
        }
        return FeedPage(events: found.map(\.0.event), positions: positions, next: positions.last ?? position)
    }

    func currentFeedPosition() async throws -> FeedPosition {
        let found = try await rows("SELECT pg_current_snapshot()::text") { row in try row.decode(String.self) }
        guard let text = found.first, let snapshot = try? FeedSnapshot(checking: text) else {
            throw DomainError.storeUnavailable
        }
        // Nothing running: every transaction below `xmax` has ended, and none of its events is wanted. (A snapshot
        // too long for a cursor, with thousands of transactions running, is the one case where the events of those
        // still running are skipped too.)
        guard snapshot.xmin < snapshot.xmax, text.utf8.count <= FeedSnapshot.longestText else {
            return FeedPosition(transaction: snapshot.xmax, sequence: 0)
        }
        return FeedPosition(transaction: snapshot.xmin, sequence: 0, committedBefore: text)
    }

    /// The events after `position` below the oldest running transaction, in feed order, like `feedEvents` but over
    /// every feed at once (the index on `(xid, sequence)`).
    func feedActivity(after position: FeedPosition?, limit: Int) async throws -> FeedActivity {
        guard let position else {
            let last = try await rows(
                """
                SELECT xid::text AS feed_xid, sequence FROM activity_events
                WHERE xid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY xid DESC, sequence DESC LIMIT 1
                """
            ) { row in try row.decode((String, Int64).self) }
            guard let (xid, sequence) = last.first else { return FeedActivity(scopes: [], next: .start) }
            guard let transaction = UInt64(xid) else { throw DomainError.storeUnavailable }
            return FeedActivity(scopes: [], next: FeedPosition(transaction: transaction, sequence: sequence))
        }
        let found = try await rows(
            """
            SELECT workspace_id, project_id, former_project_id, xid::text AS feed_xid, sequence FROM activity_events
            WHERE xid < pg_snapshot_xmin(pg_current_snapshot())
                AND (xid, sequence) > (\(String(position.transaction))::xid8, \(position.sequence))
            ORDER BY xid, sequence LIMIT \(limit)
            """
        ) { row in try row.decode((UUID, UUID?, UUID?, String, Int64).self) }
        var scopes = Set<FeedScope>()
        var next = position
        for (workspace, project, former, xid, sequence) in found {
            scopes.insert(.workspace(WorkspaceID(workspace)))
            if let project { scopes.insert(.project(ProjectID(project))) }
            if let former { scopes.insert(.project(ProjectID(former))) }
            guard let transaction = UInt64(xid) else { throw DomainError.storeUnavailable }
            next = FeedPosition(transaction: transaction, sequence: sequence)
        }
        return FeedActivity(scopes: scopes, next: next, isPartial: found.count >= limit)
    }

    func deleteEvents(before: Date, limit: Int) async throws -> Int {
        try await changedRows(
            """
            DELETE FROM activity_events WHERE sequence IN (
                SELECT sequence FROM activity_events WHERE at < \(before.bound) ORDER BY at LIMIT \(limit))
            """)
    }
}

/// A `pg_snapshot` as text (`xmin:xmax:xip,...`), checked before it reaches PostgreSQL: it comes back from
/// clients inside cursors.
struct FeedSnapshot {
    /// The longest snapshot text a cursor carries.
    static let longestText = FeedPosition.longestRecord

    let text: String
    let xmin: UInt64
    let xmax: UInt64

    /// - Throws: `DomainError.validation` naming `after` unless `text` is a well-formed snapshot.
    init(checking text: String) throws {
        let invalid = DomainError.invalid("after", "is not a cursor of this feed")
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard text.utf8.count <= Self.longestText, parts.count == 3,
            let xmin = UInt64(parts[0]), let xmax = UInt64(parts[1]), xmin <= xmax
        else { throw invalid }
        var previous = xmin
        var isFirst = true
        for part in parts[2].split(separator: ",", omittingEmptySubsequences: false) where !parts[2].isEmpty {
            guard let xip = UInt64(part), xip >= xmin, xip < xmax, isFirst || xip > previous else { throw invalid }
            previous = xip
            isFirst = false
        }
        self.text = text
        self.xmin = xmin
        self.xmax = xmax
    }
}
