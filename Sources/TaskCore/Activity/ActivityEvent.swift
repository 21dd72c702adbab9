import Foundation

/// One recorded change: to a task or its comments (the activity of v1), to a project, or to a membership. Events
/// are written in the same transaction as the change and never edited; they make the event log that the feeds
/// and webhooks read.
public struct ActivityEvent: Sendable, Equatable, Codable {
    /// The event's id.
    public var id: ActivityID
    /// The task the change was made to; `nil` for project and membership events.
    public var taskID: TaskID?
    /// The workspace the change belongs to (a workspace feed reads by it).
    public var workspaceID: WorkspaceID
    /// The project the change belongs to, if any: for `task_moved`, the project the task moved to.
    public var projectID: ProjectID?
    /// For `task_moved` out of a project, that project: the event is in its feed too.
    public var formerProjectID: ProjectID?
    /// Who made the change.
    public var actorID: UserID
    /// What happened.
    public var kind: ActivityEventKind
    /// When it happened.
    public var at: Date
    /// What changed.
    public var changes: ActivityChanges

    /// Creates an event.
    public init(
        id: ActivityID, taskID: TaskID?, workspaceID: WorkspaceID, projectID: ProjectID?,
        formerProjectID: ProjectID? = nil, actorID: UserID, kind: ActivityEventKind, at: Date,
        changes: ActivityChanges
    ) {
        self.id = id
        self.taskID = taskID
        self.workspaceID = workspaceID
        self.projectID = projectID
        self.formerProjectID = formerProjectID
        self.actorID = actorID
        self.kind = kind
        self.at = at
        self.changes = changes
    }

    /// Whether a project's feed holds the event: it belongs to the project, or moved a task out of it.
    public func isInFeed(of projectID: ProjectID) -> Bool {
        self.projectID == projectID || formerProjectID == projectID
    }
}

/// The kinds of events of the contract: the nine of a task's activity, then project and membership events.
public enum ActivityEventKind: String, Sendable, Codable, CaseIterable {
    case taskCreated = "task_created"
    case taskUpdated = "task_updated"
    case taskCompleted = "task_completed"
    case taskReopened = "task_reopened"
    case taskMoved = "task_moved"
    case taskDeleted = "task_deleted"
    case commentAdded = "comment_added"
    case commentEdited = "comment_edited"
    case commentDeleted = "comment_deleted"
    case projectCreated = "project_created"
    case projectUpdated = "project_updated"
    case projectDeleted = "project_deleted"
    case workspaceMemberAdded = "workspace_member_added"
    case workspaceMemberUpdated = "workspace_member_updated"
    case workspaceMemberRemoved = "workspace_member_removed"
    case projectMemberAdded = "project_member_added"
    case projectMemberUpdated = "project_member_updated"
    case projectMemberRemoved = "project_member_removed"
}

/// What an event changed: for task changes each field's old and new value, for comment events the comment.
/// Encodes as the contract's `changes` object.
public enum ActivityChanges: Sendable, Equatable, Codable {
    /// Field name to `{from, to}` (empty for `task_created` and `task_deleted`).
    case fields([String: FieldChange])
    /// `{"comment_id": ...}`.
    case comment(CommentID)
    /// `{"user_id": ..., "role": {"from", "to"}}`: `from` is null when the member was added, `to` when removed.
    case member(UserID, role: FieldChange)

    /// No changes listed: `{}`.
    public static let none = ActivityChanges.fields([:])

    private enum Key: String, CodingKey {
        case commentID = "comment_id"
        case userID = "user_id"
        case role
    }

    /// Reads the changes as stored (`{"field": {"from", "to"}}`, `{"comment_id": ...}` or
    /// `{"user_id": ..., "role": ...}`).
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: Key.self)
        if let id = try keyed.decodeIfPresent(CommentID.self, forKey: .commentID) {
            self = .comment(id)
        } else if let userID = try keyed.decodeIfPresent(UserID.self, forKey: .userID),
            let role = try keyed.decodeIfPresent(FieldChange.self, forKey: .role)
        {
            self = .member(userID, role: role)
        } else {
            self = .fields(try decoder.singleValueContainer().decode([String: FieldChange].self))
        }
    }

    /// Writes the changes as the contract shows them.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .fields(let fields):
            var container = encoder.singleValueContainer()
            try container.encode(fields)
        case .comment(let id):
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(id, forKey: .commentID)
        case .member(let userID, let role):
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(userID, forKey: .userID)
            try container.encode(role, forKey: .role)
        }
    }
}

/// A field's value before and after a change.
public struct FieldChange: Sendable, Equatable, Codable {
    /// The old value.
    public var from: ActivityValue
    /// The new value.
    public var to: ActivityValue

    /// Creates a change.
    public init(from: ActivityValue, to: ActivityValue) {
        self.from = from
        self.to = to
    }
}

/// A JSON value as an activity event shows a field: dates as RFC 3339 text, ids as UUID text.
public enum ActivityValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case strings([String])

    /// Reads a value as stored.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            self = .strings(try container.decode([String].self))
        }
    }

    /// Writes the value as the contract shows it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .strings(let value): try container.encode(value)
        }
    }
}
