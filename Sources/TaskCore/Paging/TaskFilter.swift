import Foundation

/// The filters of `GET /api/v1/tasks` as a client gave them, before they are checked against what the caller may see.
public struct TaskFilter: Sendable, Equatable {
    /// Who a task is assigned to: a user, or the caller (`me`).
    public enum Assignee: Sendable, Equatable {
        case user(UserID)
        case me
    }

    /// Only tasks of this workspace.
    public var workspaceID: WorkspaceID?
    /// Only tasks of this project.
    public var projectID: ProjectID?
    /// Only subtasks of this task.
    public var parentID: TaskID?
    /// Only tasks assigned to this user.
    public var assignee: Assignee?
    /// Only done (`true`) or not done (`false`) tasks.
    public var isCompleted: Bool?
    /// Only tasks in this status.
    public var status: TaskStatus?
    /// Only tasks of this priority.
    public var priority: TaskPriority?
    /// Only tasks with this tag.
    public var tag: String?
    /// Only tasks due strictly before this instant.
    public var dueBefore: Date?
    /// Only tasks due strictly after this instant.
    public var dueAfter: Date?
    /// Only tasks whose title or description contains every word of this text, ignoring case.
    public var text: String?

    /// Creates a filter; every criterion is optional.
    public init(
        workspaceID: WorkspaceID? = nil, projectID: ProjectID? = nil, parentID: TaskID? = nil,
        assignee: Assignee? = nil, isCompleted: Bool? = nil, status: TaskStatus? = nil, priority: TaskPriority? = nil,
        tag: String? = nil, dueBefore: Date? = nil, dueAfter: Date? = nil, text: String? = nil
    ) {
        self.workspaceID = workspaceID
        self.projectID = projectID
        self.parentID = parentID
        self.assignee = assignee
        self.isCompleted = isCompleted
        self.status = status
        self.priority = priority
        self.tag = tag
        self.dueBefore = dueBefore
        self.dueAfter = dueAfter
        self.text = text
    }
}

/// A task list query as a store runs it: filters resolved, the caller's visibility, ordering and page position.
public struct TaskQuery: Sendable, Equatable {
    /// Only tasks of this workspace.
    public var workspaceID: WorkspaceID?
    /// Only tasks of this project.
    public var projectID: ProjectID?
    /// Only subtasks of this task.
    public var parentID: TaskID?
    /// Only tasks assigned to this user.
    public var assigneeID: UserID?
    /// Only tasks this user owns or is assigned.
    public var involvedUserID: UserID?
    /// Only done or not done tasks.
    public var isCompleted: Bool?
    /// Only tasks in this status.
    public var status: TaskStatus?
    /// Only tasks of this priority.
    public var priority: TaskPriority?
    /// Only tasks with this tag.
    public var tag: String?
    /// Only tasks due strictly before this instant.
    public var dueBefore: Date?
    /// Only tasks due strictly after this instant.
    public var dueAfter: Date?
    /// Lower-cased words that must each appear in the title or the description.
    public var words: [String]
    /// Only tasks the caller can see.
    public var scope: VisibilityScope
    /// The ordering.
    public var sort: TaskSort
    /// Only rows strictly after this position.
    public var after: PagePosition?
    /// How many rows at most.
    public var limit: Int

    /// Creates a query.
    public init(
        workspaceID: WorkspaceID? = nil, projectID: ProjectID? = nil, parentID: TaskID? = nil,
        assigneeID: UserID? = nil, involvedUserID: UserID? = nil, isCompleted: Bool? = nil, status: TaskStatus? = nil,
        priority: TaskPriority? = nil, tag: String? = nil, dueBefore: Date? = nil, dueAfter: Date? = nil,
        words: [String] = [], scope: VisibilityScope, sort: TaskSort = .default, after: PagePosition? = nil, limit: Int
    ) {
        self.workspaceID = workspaceID
        self.projectID = projectID
        self.parentID = parentID
        self.assigneeID = assigneeID
        self.involvedUserID = involvedUserID
        self.isCompleted = isCompleted
        self.status = status
        self.priority = priority
        self.tag = tag
        self.dueBefore = dueBefore
        self.dueAfter = dueAfter
        self.words = words
        self.scope = scope
        self.sort = sort
        self.after = after
        self.limit = limit
    }

    /// Whether `task` passes every filter but visibility and paging (which need the project).
    public func matchesFilters(_ task: TaskItem) -> Bool {
        if let workspaceID, task.workspaceID != workspaceID { return false }
        if let projectID, task.projectID != projectID { return false }
        if let parentID, task.parentID != parentID { return false }
        if let assigneeID, task.assigneeID != assigneeID { return false }
        if let involvedUserID, task.ownerID != involvedUserID && task.assigneeID != involvedUserID { return false }
        if let isCompleted, task.isCompleted != isCompleted { return false }
        if let status, task.status != status { return false }
        if let priority, task.priority != priority { return false }
        if let tag, !task.tags.contains(tag) { return false }
        if let dueBefore { guard let due = task.dueDate, due < dueBefore else { return false } }
        if let dueAfter { guard let due = task.dueDate, due > dueAfter else { return false } }
        if !words.isEmpty {
            let title = task.title.lowercased()
            let description = task.description.lowercased()
            for word in words where !title.contains(word) && !description.contains(word) { return false }
        }
        return true
    }

    /// Splits search text into the lower-cased words of `words`, each once, in the order they first appear.
    public static func words(in text: String) -> [String] {
        var seen: Set<String> = []
        return text.lowercased().split(whereSeparator: { $0.isWhitespace }).map(String.init).filter {
            seen.insert($0).inserted
        }
    }
}
