import Foundation
import PostgresNIO
import TaskCore

/// Column lists and row decoders, one per table, kept beside each other so they cannot drift apart.
enum PostgresRows {
    static let userColumns =
        "id, email, name, password_hash, is_admin, is_disabled, personal_workspace_id, password_changed_at, created_at, updated_at, sessions_revoked_at, version"

    /// How many columns `userColumns` has.
    static let userColumnCount = 12

    /// `userColumns` of the table aliased `alias`.
    static func userColumns(as alias: String) -> String { qualified(userColumns, as: alias) }

    /// `columns` (a list separated by ", "), each qualified by `alias`.
    static func qualified(_ columns: String, as alias: String) -> String {
        columns.split(separator: ", ").map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    /// The values of `userColumns`, in their order.
    typealias UserValues = (UUID, String, String, String, Bool, Bool, UUID?, Date, Date, Date, Date?, Int32)

    static func user(_ row: PostgresRow) throws -> User {
        user(try row.decode(UserValues.self))
    }

    /// The user in the cells of `userColumns` starting at `offset`, in a row that holds other columns too.
    static func user(_ cells: PostgresRandomAccessRow, from offset: Int) throws -> User {
        user(
            (
                try cells[offset].decode(UUID.self), try cells[offset + 1].decode(String.self),
                try cells[offset + 2].decode(String.self), try cells[offset + 3].decode(String.self),
                try cells[offset + 4].decode(Bool.self), try cells[offset + 5].decode(Bool.self),
                try cells[offset + 6].decode(UUID?.self), try cells[offset + 7].decode(Date.self),
                try cells[offset + 8].decode(Date.self), try cells[offset + 9].decode(Date.self),
                try cells[offset + 10].decode(Date?.self), try cells[offset + 11].decode(Int32.self)
            ))
    }

    private static func user(_ values: UserValues) -> User {
        let (id, email, name, hash, isAdmin, isDisabled, personal, changed, created, updated, revoked, version) = values
        return User(
            id: UserID(id), email: EmailAddress(normalized: email), name: name, passwordHash: hash, isAdmin: isAdmin,
            isDisabled: isDisabled, personalWorkspaceID: personal.map(WorkspaceID.init),
            passwordChangedAt: changed.truncatedToMilliseconds, sessionsRevokedAt: revoked?.truncatedToMilliseconds,
            createdAt: created.truncatedToMilliseconds, updatedAt: updated.truncatedToMilliseconds,
            version: Int(version))
    }

    static let workspaceColumns = "w.id, w.name, w.created_at, w.updated_at, w.version"
    static let workspaceColumnCount = 5

    static func workspace(_ row: PostgresRow) throws -> Workspace {
        let (id, name, created, updated, version) = try row.decode((UUID, String, Date, Date, Int32).self)
        return Workspace(
            id: WorkspaceID(id), name: name, createdAt: created.truncatedToMilliseconds,
            updatedAt: updated.truncatedToMilliseconds, version: Int(version))
    }

    static let workspaceMemberColumns = "workspace_id, user_id, role, joined_at, version"
    static let workspaceMemberColumnCount = 5

    /// `workspaceMemberColumns`, each qualified by `alias`.
    static func workspaceMemberColumns(as alias: String) -> String { qualified(workspaceMemberColumns, as: alias) }

    static func workspaceMember(_ row: PostgresRow) throws -> WorkspaceMember {
        let (workspaceID, userID, role, joined, version) = try row.decode((UUID, UUID, String, Date, Int32).self)
        return WorkspaceMember(
            workspaceID: WorkspaceID(workspaceID), userID: UserID(userID),
            role: try decodeEnum(WorkspaceRole.self, role), joinedAt: joined.truncatedToMilliseconds,
            version: Int(version))
    }

    /// The columns `memberProfile` reads from a membership table `m` joined with `users u`; `since` names the
    /// membership's start (`m.joined_at`, `m.added_at`).
    static func memberProfileColumns(since: String) -> String { "u.id, u.email, u.name, m.role, \(since), m.version" }

    /// `user_id, email, name, role, since, version` joined from a membership table and `users`.
    static func memberProfile(_ row: PostgresRow) throws -> MemberProfile {
        let (userID, email, name, role, since, version) = try row.decode(
            (UUID, String, String, String, Date, Int32).self)
        return MemberProfile(
            userID: UserID(userID), email: EmailAddress(normalized: email), name: name, role: role,
            joinedAt: since.truncatedToMilliseconds, version: Int(version))
    }

    static let projectColumns =
        "p.id, p.workspace_id, p.name, p.description, p.visibility, p.is_archived, p.created_at, p.updated_at, p.version"

    static func project(_ row: PostgresRow) throws -> Project {
        let (id, workspaceID, name, description, visibility, isArchived, created, updated, version) = try row.decode(
            (UUID, UUID, String, String, String, Bool, Date, Date, Int32).self)
        return Project(
            id: ProjectID(id), workspaceID: WorkspaceID(workspaceID), name: name, description: description,
            visibility: try decodeEnum(ProjectVisibility.self, visibility), isArchived: isArchived,
            createdAt: created.truncatedToMilliseconds, updatedAt: updated.truncatedToMilliseconds,
            version: Int(version))
    }

    static let projectColumnCount = 9

    /// A project from the cells of `projectColumns` of an outer join: `nil` when the join found none.
    static func optionalProject(_ cells: ArraySlice<PostgresCell>) throws -> Project? {
        var cell = cells.makeIterator()
        func next<Value: PostgresDecodable>(_: Value.Type) throws -> Value {
            guard let value = cell.next() else { throw PostgresDecodingFailure(column: "project") }
            return try value.decode(Value.self)
        }
        guard let id = try next(UUID?.self) else { return nil }
        let workspaceID = try next(UUID.self), name = try next(String.self), description = try next(String.self)
        let visibility = try next(String.self), isArchived = try next(Bool.self)
        let created = try next(Date.self), updated = try next(Date.self), version = try next(Int32.self)
        return Project(
            id: ProjectID(id), workspaceID: WorkspaceID(workspaceID), name: name, description: description,
            visibility: try decodeEnum(ProjectVisibility.self, visibility), isArchived: isArchived,
            createdAt: created.truncatedToMilliseconds, updatedAt: updated.truncatedToMilliseconds,
            version: Int(version))
    }

    static let projectMemberColumns = "project_id, workspace_id, user_id, role, added_at, version"

    static func projectMember(_ row: PostgresRow) throws -> ProjectMember {
        let (projectID, workspaceID, userID, role, added, version) = try row.decode(
            (UUID, UUID, UUID, String, Date, Int32).self)
        return ProjectMember(
            projectID: ProjectID(projectID), workspaceID: WorkspaceID(workspaceID), userID: UserID(userID),
            role: try decodeEnum(ProjectRole.self, role), addedAt: added.truncatedToMilliseconds, version: Int(version))
    }

    static let taskColumns = """
        t.id, t.workspace_id, t.project_id, t.parent_id, t.title, t.description, t.status, t.completed_at, t.priority, \
        t.assignee_id, t.owner_id, t.due_date, t.start_date, t.tags, t.created_at, t.updated_at, t.version
        """

    static let taskColumnCount = 17

    static func task(_ row: PostgresRow) throws -> TaskItem {
        let (
            id, workspaceID, projectID, parentID, title, description, status, completedAt, priority, assigneeID,
            ownerID,
            dueDate, startDate, tags, created, updated, version
        ) = try row.decode(
            (
                UUID, UUID, UUID?, UUID?, String, String, String, Date?, Int16, UUID?, UUID, Date?, Date?, [String],
                Date, Date, Int32
            ).self)
        guard let priority = TaskPriority.allCases.first(where: { $0.severity == Int(priority) }) else {
            throw PostgresDecodingFailure(column: "priority")
        }
        return TaskItem(
            id: TaskID(id), workspaceID: WorkspaceID(workspaceID), projectID: projectID.map(ProjectID.init),
            parentID: parentID.map(TaskID.init), title: title, description: description,
            status: try decodeEnum(TaskStatus.self, status), completedAt: completedAt?.truncatedToMilliseconds,
            priority: priority, assigneeID: assigneeID.map(UserID.init), ownerID: UserID(ownerID),
            dueDate: dueDate?.truncatedToMilliseconds, startDate: startDate?.truncatedToMilliseconds, tags: tags,
            createdAt: created.truncatedToMilliseconds, updatedAt: updated.truncatedToMilliseconds,
            version: Int(version))
    }

    static let commentColumns = "id, task_id, workspace_id, author_id, body, created_at, updated_at, is_edited, version"

    static func comment(_ row: PostgresRow) throws -> Comment {
        let (id, taskID, workspaceID, authorID, body, created, updated, isEdited, version) = try row.decode(
            (UUID, UUID, UUID, UUID, String, Date, Date, Bool, Int32).self)
        return Comment(
            id: CommentID(id), taskID: TaskID(taskID), workspaceID: WorkspaceID(workspaceID),
            authorID: UserID(authorID),
            body: body, createdAt: created.truncatedToMilliseconds, updatedAt: updated.truncatedToMilliseconds,
            isEdited: isEdited, version: Int(version))
    }

    /// `commentColumns` of the comment aliased `alias`.
    static func commentColumns(as alias: String) -> String {
        commentColumns.split(separator: ", ").map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    static let commentColumnCount = 9

    /// The comment in the `commentColumns` that start at `offset`.
    static func comment(_ cells: PostgresRandomAccessRow, from offset: Int) throws -> Comment {
        Comment(
            id: CommentID(try cells[offset].decode(UUID.self)), taskID: TaskID(try cells[offset + 1].decode(UUID.self)),
            workspaceID: WorkspaceID(try cells[offset + 2].decode(UUID.self)),
            authorID: UserID(try cells[offset + 3].decode(UUID.self)), body: try cells[offset + 4].decode(String.self),
            createdAt: try cells[offset + 5].decode(Date.self).truncatedToMilliseconds,
            updatedAt: try cells[offset + 6].decode(Date.self).truncatedToMilliseconds,
            isEdited: try cells[offset + 7].decode(Bool.self), version: Int(try cells[offset + 8].decode(Int32.self)))
    }

    static let eventColumns =
        "sequence, id, task_id, workspace_id, project_id, former_project_id, actor_id, kind, at, changes::text"

    static func event(_ row: PostgresRow) throws -> SequencedEvent {
        let (sequence, id, taskID, workspaceID, projectID, formerProjectID, actorID, kind, at, changes) =
            try row.decode((Int64, UUID, UUID?, UUID, UUID?, UUID?, UUID, String, Date, String).self)
        let event = ActivityEvent(
            id: ActivityID(id), taskID: taskID.map(TaskID.init), workspaceID: WorkspaceID(workspaceID),
            projectID: projectID.map(ProjectID.init), formerProjectID: formerProjectID.map(ProjectID.init),
            actorID: UserID(actorID), kind: try decodeEnum(ActivityEventKind.self, kind),
            at: at.truncatedToMilliseconds,
            changes: try JSONDecoder().decode(ActivityChanges.self, from: Data(changes.utf8)))
        return SequencedEvent(event: event, sequence: Int(sequence))
    }

    /// A role or other enumeration from a cell that an outer join may leave `NULL`.
    static func optionalEnum<Value: RawRepresentable>(_: Value.Type, _ cell: PostgresCell) throws -> Value?
    where Value.RawValue == String {
        try cell.decode(String?.self).map { try decodeEnum(Value.self, $0) }
    }

    static func decodeEnum<Value: RawRepresentable>(_: Value.Type, _ raw: String) throws -> Value
    where Value.RawValue == String {
        guard let value = Value(rawValue: raw) else { throw PostgresDecodingFailure(column: "\(Value.self)") }
        return value
    }
}

/// A stored value that taskd cannot read back (a row written by something else).
struct PostgresDecodingFailure: Error, CustomStringConvertible {
    let column: String
    var description: String { "unreadable stored value for \(column)" }
}
