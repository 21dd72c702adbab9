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
        try await execute(
            """
            INSERT INTO comments (id, task_id, workspace_id, author_id, body, is_edited, created_at, updated_at, version)
            VALUES (\(comment.id.uuid), \(comment.taskID.uuid), \(comment.workspaceID.uuid), \(comment.authorID.uuid),
                    \(comment.body), \(comment.isEdited), \(comment.createdAt.bound), \(comment.updatedAt.bound),
                    \(Int32(clamping: comment.version)))
            """)
    }

    func updateComment(_ comment: Comment) async throws {
        let changed = try await changedRows(
            """
            UPDATE comments SET body = \(comment.body), is_edited = \(comment.isEdited), updated_at = \(comment.updatedAt.bound),
                version = \(Int32(clamping: comment.version))
            WHERE id = \(comment.id.uuid)
            """)
        if changed == 0 { throw DomainError.notFound(.comment) }
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
