/// Comments, inside a transaction.
public protocol CommentStore: Sendable {
    /// The comment with `id`, or `nil`.
    func comment(_ id: CommentID) async throws -> Comment?
    /// The comment with `id`, or `nil`, locked for a read-modify-write until the transaction ends.
    func lockComment(_ id: CommentID) async throws -> Comment?
    /// Stores a new comment.
    func insertComment(_ comment: Comment) async throws
    /// Inserts a comment and appends the events that record it (`appendEvents`): one statement on PostgreSQL.
    func insertComment(_ comment: Comment, recording events: [ActivityEvent]) async throws
    /// Replaces a stored comment. - Throws: `.notFound(.comment)` when it is gone.
    func updateComment(_ comment: Comment) async throws
    /// `updateComment(_:)` and `appendEvents(events)` in one: the events are appended only when the comment was
    /// there to change (one statement on PostgreSQL). - Throws: `.notFound(.comment)` when it is gone.
    func updateComment(_ comment: Comment, recording events: [ActivityEvent]) async throws
    /// Deletes a comment.
    func deleteComment(_ id: CommentID) async throws
    /// A task's comments, oldest first (ordered by `(createdAt, id)`), strictly after `after`, at most `limit`.
    func comments(of taskID: TaskID, after: PagePosition?, limit: Int) async throws -> [Comment]
}

extension StoreTransaction {
    /// Inserts the comment, then appends the events.
    public func insertComment(_ comment: Comment, recording events: [ActivityEvent]) async throws {
        try await insertComment(comment)
        try await appendEvents(events)
    }

    /// Updates the comment, then appends the events.
    public func updateComment(_ comment: Comment, recording events: [ActivityEvent]) async throws {
        try await updateComment(comment)
        try await appendEvents(events)
    }
}
