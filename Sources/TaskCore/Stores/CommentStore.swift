/// Comments, inside a transaction.
public protocol CommentStore: Sendable {
    /// The comment with `id`, or `nil`.
    func comment(_ id: CommentID) async throws -> Comment?
    /// The comment with `id`, or `nil`, locked for a read-modify-write until the transaction ends.
    func lockComment(_ id: CommentID) async throws -> Comment?
    /// Stores a new comment.
    func insertComment(_ comment: Comment) async throws
    /// Replaces a stored comment. - Throws: `.notFound(.comment)` when it is gone.
    func updateComment(_ comment: Comment) async throws
    /// Deletes a comment.
    func deleteComment(_ id: CommentID) async throws
    /// A task's comments, oldest first (ordered by `(createdAt, id)`), strictly after `after`, at most `limit`.
    func comments(of taskID: TaskID, after: PagePosition?, limit: Int) async throws -> [Comment]
}
