import Foundation
import PostgresNIO
import TaskCore

extension PostgresTransaction {
    func comment(_ id: CommentID) async throws -> Comment? {
        try await rows(
            "SELECT \(unescaped: PostgresRows.commentColumns) FROM comments WHERE id = \(id.uuid)", PostgresRows.comment
        )
        .first
    }

    func lockComment(_ id: CommentID) async throws -> Comment? {
        try await lockedRows(
            "SELECT \(unescaped: PostgresRows.commentColumns) FROM comments WHERE id = \(id.uuid) FOR UPDATE",
            PostgresRows.comment
        ).first
    }

    func insertComment(_ comment: Comment) async throws {
        try await execute(InsertCommentStatement(comment: comment))
    }

    /// Inserts the comment and appends the events in one statement.
    func insertComment(_ comment: Comment, recording events: [ActivityEvent]) async throws {
        guard !events.isEmpty else { return try await insertComment(comment) }
        let statement = InsertCommentWithEventsStatement(
            write: InsertCommentStatement(comment: comment), events: try insertStatement(for: events))
        noteRecorded(queued: try await lockedRows(statement))
    }

    func updateComment(_ comment: Comment) async throws {
        let changed = try await changedRows(UpdateCommentStatement(comment: comment))
        if changed == 0 { throw DomainError.notFound(.comment) }
    }

    /// Updates the comment and appends the events in one statement, which appends them only when the comment was
    /// there to change.
    func updateComment(_ comment: Comment, recording events: [ActivityEvent]) async throws {
        guard !events.isEmpty else { return try await updateComment(comment) }
        let statement = UpdateCommentWithEventsStatement(
            write: UpdateCommentStatement(comment: comment), events: try insertStatement(for: events))
        let rows = try await lockedRows(statement)
        guard rows.first?.updated == true else { throw DomainError.notFound(.comment) }
        noteRecorded(queued: rows.map(\.queuedDeliveries))
    }

    func deleteComment(_ id: CommentID) async throws {
        try await execute("DELETE FROM comments WHERE id = \(id.uuid)")
    }

    func comments(of taskID: TaskID, after: PagePosition?, limit: Int) async throws -> [Comment] {
        var builder = SQLBuilder("SELECT \(PostgresRows.commentColumns) FROM comments")
        builder.append(" WHERE task_id = \(builder.bind(taskID.uuid))")
        builder.appendAfter(after, dateColumn: "created_at", idColumn: "id")
        builder.append(" ORDER BY created_at, id LIMIT \(builder.bind(limit))")
        return try await rows(builder.query, PostgresRows.comment)
    }
}
