import Foundation

/// A task. `isCompleted` is derived from `status`, so the two can never disagree; `completedAt` is set by the
/// use cases when the task becomes done and cleared when it is reopened.
public struct TaskItem: Sendable, Equatable, Codable {
    /// The task's id.
    public var id: TaskID
    /// The workspace it belongs to.
    public var workspaceID: WorkspaceID
    /// Its project, if any; a subtask is always in its parent's project.
    public var projectID: ProjectID?
    /// Its parent task, if it is a subtask.
    public var parentID: TaskID?
    /// Its title (1...500 characters, trimmed).
    public var title: String
    /// Its description (at most 65,536 characters; empty when none).
    public var description: String
    /// Where it stands.
    public var status: TaskStatus
    /// When it became done; `nil` unless `status == .done`.
    public var completedAt: Date?
    /// How urgent it is.
    public var priority: TaskPriority
    /// Who should do it: a member of the workspace who can see the project.
    public var assigneeID: UserID?
    /// Who created it.
    public var ownerID: UserID
    /// When it is due.
    public var dueDate: Date?
    /// When work on it starts.
    public var startDate: Date?
    /// Its tags (at most 20, each 1...50 characters, no duplicates).
    public var tags: [String]
    /// When it was created.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// Increases by one with every change; the `ETag` and `If-Match` value.
    public var version: Int

    /// Creates a task value.
    public init(
        id: TaskID, workspaceID: WorkspaceID, projectID: ProjectID? = nil, parentID: TaskID? = nil, title: String,
        description: String = "", status: TaskStatus = .todo, completedAt: Date? = nil, priority: TaskPriority = .none,
        assigneeID: UserID? = nil, ownerID: UserID, dueDate: Date? = nil, startDate: Date? = nil, tags: [String] = [],
        createdAt: Date, updatedAt: Date, version: Int = 1
    ) {
        self.id = id
        self.workspaceID = workspaceID
        self.projectID = projectID
        self.parentID = parentID
        self.title = title
        self.description = description
        self.status = status
        self.completedAt = completedAt
        self.priority = priority
        self.assigneeID = assigneeID
        self.ownerID = ownerID
        self.dueDate = dueDate
        self.startDate = startDate
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// Whether the task is done; always equal to `status == .done`.
    public var isCompleted: Bool { status == .done }

    /// Moves the task to `newStatus`, keeping `completedAt` consistent: set at `now` when it becomes done,
    /// kept while it stays done, cleared otherwise.
    public mutating func setStatus(_ newStatus: TaskStatus, at now: Date) {
        if newStatus == .done {
            if status != .done { completedAt = now }
        } else {
            completedAt = nil
        }
        status = newStatus
    }
}
