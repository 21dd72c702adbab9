import Foundation

/// A comment on a task.
public struct Comment: Sendable, Equatable, Codable {
    /// The comment's id.
    public var id: CommentID
    /// The task it belongs to.
    public var taskID: TaskID
    /// The task's workspace (every workspace-scoped row carries it).
    public var workspaceID: WorkspaceID
    /// Who wrote it.
    public var authorID: UserID
    /// Its text (1...10,000 characters, trimmed).
    public var body: String
    /// When it was written.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// Whether its body was ever changed after it was written.
    public var isEdited: Bool

    /// 1 when created, one more after each change that changes something; its `ETag` is made from it.
    public var version: Int

    /// Creates a comment value.
    public init(
        id: CommentID, taskID: TaskID, workspaceID: WorkspaceID, authorID: UserID, body: String, createdAt: Date,
        updatedAt: Date, isEdited: Bool = false, version: Int = 1
    ) {
        self.id = id
        self.taskID = taskID
        self.workspaceID = workspaceID
        self.authorID = authorID
        self.body = body
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.isEdited = isEdited
        self.version = version
    }
}
