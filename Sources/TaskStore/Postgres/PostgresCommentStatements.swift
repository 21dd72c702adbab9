import Foundation
import PostgresNIO
import TaskCore

// A comment's writes with the events that record them, each one prepared statement: adding and editing a comment
// cost one round trip each instead of two.

/// Stores a new comment.
struct InsertCommentStatement: AppendsBindings {
    typealias Row = ()

    static let sql = """
        INSERT INTO comments (id, task_id, workspace_id, author_id, body, is_edited, created_at, updated_at, version)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .uuid, .uuid, .uuid, .uuid, .text, .bool, .timestamptz, .timestamptz, .int4,
    ]

    var comment: Comment

    /// Appends the statement's nine bindings, in order.
    func appendBindings(to bindings: inout PostgresBindings) {
        bindings.append(comment.id.uuid)
        bindings.append(comment.taskID.uuid)
        bindings.append(comment.workspaceID.uuid)
        bindings.append(comment.authorID.uuid)
        bindings.append(comment.body)
        bindings.append(comment.isEdited)
        bindings.append(comment.createdAt.bound)
        bindings.append(comment.updatedAt.bound)
        bindings.append(Int32(clamping: comment.version))
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

/// `InsertCommentStatement` and `InsertEventsStatement` in one statement: a new comment and the events that record
/// it. Its one row says whether the events queued deliveries.
struct InsertCommentWithEventsStatement: WriteWithEvents {
    typealias Row = Bool

    static let sql =
        "WITH new_comment AS (\(InsertCommentStatement.sql) RETURNING 1), "
        + InsertEventsStatement.expressions(parametersFrom: InsertCommentStatement.bindingDataTypes.count + 1)
    static let bindingDataTypes = InsertCommentStatement.bindingDataTypes + InsertEventsStatement.bindingDataTypes

    var write: InsertCommentStatement
    var events: InsertEventsStatement

    func decodeRow(_ row: PostgresRow) throws -> Bool { try events.decodeRow(row) }
}

/// Replaces a comment's body, its edited flag, `updated_at` and version; returns a row when the comment was there.
struct UpdateCommentStatement: AppendsBindings {
    typealias Row = Int32

    static let sql = """
        UPDATE comments SET body = $2, is_edited = $3, updated_at = $4, version = $5
        WHERE id = $1
        RETURNING 1
        """
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .text, .bool, .timestamptz, .int4]

    var comment: Comment

    /// Appends the statement's five bindings, in order.
    func appendBindings(to bindings: inout PostgresBindings) {
        bindings.append(comment.id.uuid)
        bindings.append(comment.body)
        bindings.append(comment.isEdited)
        bindings.append(comment.updatedAt.bound)
        bindings.append(Int32(clamping: comment.version))
    }

    func decodeRow(_ row: PostgresRow) throws -> Int32 { try row.decode(Int32.self) }
}

/// `UpdateCommentStatement` and `InsertEventsStatement` in one statement: a comment's change and the events that
/// record it. The events are inserted only when the comment was there to change.
struct UpdateCommentWithEventsStatement: WriteWithEvents {
    /// Whether the events queued deliveries, and whether the comment was changed.
    typealias Row = (queuedDeliveries: Bool, updated: Bool)

    static let sql = conditionalSQL(
        writing: UpdateCommentStatement.sql, as: "changed_comment",
        parameterCount: UpdateCommentStatement.bindingDataTypes.count)
    static let bindingDataTypes = UpdateCommentStatement.bindingDataTypes + InsertEventsStatement.bindingDataTypes

    var write: UpdateCommentStatement
    var events: InsertEventsStatement

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let flags = try InsertEventsStatement.flags(row)
        return (queuedDeliveries: flags.queuedDeliveries, updated: flags.extra)
    }
}
