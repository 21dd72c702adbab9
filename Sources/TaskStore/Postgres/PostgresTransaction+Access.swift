import Foundation
import PostgresNIO
import TaskCore

extension PostgresTransaction {
    func taskAccess(_ id: TaskID, for userID: UserID) async throws -> TaskAccessFacts? {
        try await rows(TaskAccessStatement(recordID: id.uuid, userID: userID.uuid)).first
    }

    func taskAccess(_ id: TaskID, claimedBy userID: UserID) async throws -> ClaimedTaskAccess {
        try await rows(ClaimedTaskAccessStatement(recordID: id.uuid, userID: userID.uuid)).first
            ?? ClaimedAccess(user: nil, facts: nil)
    }

    func projectAccess(_ id: ProjectID, claimedBy userID: UserID) async throws -> ClaimedProjectAccess {
        try await rows(ClaimedProjectAccessStatement(recordID: id.uuid, userID: userID.uuid)).first
            ?? ClaimedAccess(user: nil, facts: nil)
    }

    func projectAccess(_ id: ProjectID, for userID: UserID) async throws -> ProjectAccessFacts? {
        try await rows(ProjectAccessStatement(recordID: id.uuid, userID: userID.uuid)).first
    }

    /// Locks the task row and reads its facts in one statement (`LockedAccessStatement`); when the lock had to
    /// wait for a change that committed after the statement began, the facts are read again in a statement of
    /// their own, which sees that change.
    func taskAccess(_ id: TaskID, for userID: UserID, locking lock: RowLock) async throws -> TaskAccessFacts? {
        let found =
            switch lock {
            case .share:
                try await lockedRows(LockedAccessStatement<TaskAccessStatement, ForShare>(id.uuid, userID.uuid)).first
            case .update:
                try await lockedRows(LockedAccessStatement<TaskAccessStatement, ForUpdate>(id.uuid, userID.uuid)).first
            }
        guard let found else { return nil }
        return found.isCurrent ? found.facts : try await taskAccess(id, for: userID)
    }

    /// Locks the project row and reads its facts in one statement (see `taskAccess(_:for:locking:)`).
    func projectAccess(_ id: ProjectID, for userID: UserID, locking lock: RowLock) async throws -> ProjectAccessFacts? {
        let found =
            switch lock {
            case .share:
                try await lockedRows(LockedAccessStatement<ProjectAccessStatement, ForShare>(id.uuid, userID.uuid))
                    .first
            case .update:
                try await lockedRows(LockedAccessStatement<ProjectAccessStatement, ForUpdate>(id.uuid, userID.uuid))
                    .first
            }
        guard let found else { return nil }
        return found.isCurrent ? found.facts : try await projectAccess(id, for: userID)
    }
}

/// The locking clause a prepared read ends with, `FOR SHARE` or `FOR UPDATE` of one row. Each is its own type so
/// that each variant is its own prepared statement.
protocol LockClause: Sendable {
    /// The SQL appended to the statement, given the alias of the row to lock.
    static func clause(locking alias: String) -> String
}

/// `FOR SHARE OF alias`.
enum ForShare: LockClause {
    static func clause(locking alias: String) -> String { " FOR SHARE OF \(alias)" }
}

/// `FOR UPDATE OF alias`.
enum ForUpdate: LockClause {
    static func clause(locking alias: String) -> String { " FOR UPDATE OF \(alias)" }
}

/// A task, its project and one user's memberships around it, in one prepared query: the read behind every
/// request that names a task.
struct TaskAccessStatement: AccessFactsStatement {
    static let table = "tasks"
    static let alias = "t"
    static let columns = "\(PostgresRows.taskColumns), wm.role, pm.role, \(PostgresRows.projectColumns)"
    static let joins = """
        LEFT JOIN projects p ON p.id = t.project_id
        LEFT JOIN workspace_members wm ON wm.workspace_id = t.workspace_id AND wm.user_id = $2
        LEFT JOIN project_members pm ON pm.project_id = t.project_id AND pm.user_id = $2
        """

    var recordID: UUID
    var userID: UUID

    func decodeRow(_ row: PostgresRow) throws -> TaskAccessFacts { try Self.facts(row) }

    /// The facts in a row that starts with this statement's columns.
    static func facts(_ row: PostgresRow) throws -> TaskAccessFacts {
        let task = try PostgresRows.task(row)
        let rest = Array(row.dropFirst(PostgresRows.taskColumnCount))
        return TaskAccessFacts(
            task: task, project: try PostgresRows.optionalProject(rest.dropFirst(2)),
            workspaceMemberRole: try PostgresRows.optionalEnum(WorkspaceRole.self, rest[0]),
            projectMemberRole: try PostgresRows.optionalEnum(ProjectRole.self, rest[1]))
    }

    /// How many columns the facts take.
    static var columnCount: Int { PostgresRows.taskColumnCount + 2 + PostgresRows.projectColumnCount }
}

/// A user's row and what `TaskAccessStatement` reads about one task for that user, in one prepared query: a
/// request with an access token checks the token's user and reads the task in one round trip. The user drives the
/// query, so no user means no row; no task means a row whose task columns are null.
struct ClaimedTaskAccessStatement: RecordAndUserStatement {
    static let sql = """
        SELECT \(PostgresRows.taskColumns), wm.role, pm.role, \(PostgresRows.projectColumns),
            \(PostgresRows.userColumns(as: "u"))
        FROM users u
        LEFT JOIN tasks t ON t.id = $1
        LEFT JOIN projects p ON p.id = t.project_id
        LEFT JOIN workspace_members wm ON wm.workspace_id = t.workspace_id AND wm.user_id = u.id
        LEFT JOIN project_members pm ON pm.project_id = t.project_id AND pm.user_id = u.id
        WHERE u.id = $2
        """

    var recordID: UUID
    var userID: UUID

    func decodeRow(_ row: PostgresRow) throws -> ClaimedTaskAccess {
        try ClaimedAccess(row, factsColumns: TaskAccessStatement.columnCount, TaskAccessStatement.facts)
    }
}

/// A project and one user's memberships around it, in one prepared query.
struct ProjectAccessStatement: AccessFactsStatement {
    static let table = "projects"
    static let alias = "p"
    static let columns = "\(PostgresRows.projectColumns), wm.role, pm.role"
    static let joins = """
        LEFT JOIN workspace_members wm ON wm.workspace_id = p.workspace_id AND wm.user_id = $2
        LEFT JOIN project_members pm ON pm.project_id = p.id AND pm.user_id = $2
        """

    var recordID: UUID
    var userID: UUID

    func decodeRow(_ row: PostgresRow) throws -> ProjectAccessFacts { try Self.facts(row) }

    /// The facts in a row that starts with this statement's columns.
    static func facts(_ row: PostgresRow) throws -> ProjectAccessFacts {
        let project = try PostgresRows.project(row)
        let rest = Array(row.dropFirst(PostgresRows.projectColumnCount))
        return ProjectAccessFacts(
            project: project, workspaceMemberRole: try PostgresRows.optionalEnum(WorkspaceRole.self, rest[0]),
            projectMemberRole: try PostgresRows.optionalEnum(ProjectRole.self, rest[1]))
    }

    /// How many columns the facts take.
    static var columnCount: Int { PostgresRows.projectColumnCount + 2 }
}

/// A user's row and what `ProjectAccessStatement` reads about one project for that user, in one prepared query
/// (see `ClaimedTaskAccessStatement`).
struct ClaimedProjectAccessStatement: RecordAndUserStatement {
    static let sql = """
        SELECT \(PostgresRows.projectColumns), wm.role, pm.role, \(PostgresRows.userColumns(as: "u"))
        FROM users u
        LEFT JOIN projects p ON p.id = $1
        LEFT JOIN workspace_members wm ON wm.workspace_id = p.workspace_id AND wm.user_id = u.id
        LEFT JOIN project_members pm ON pm.project_id = p.id AND pm.user_id = u.id
        WHERE u.id = $2
        """

    var recordID: UUID
    var userID: UUID

    func decodeRow(_ row: PostgresRow) throws -> ClaimedProjectAccess {
        try ClaimedAccess(row, factsColumns: ProjectAccessStatement.columnCount, ProjectAccessStatement.facts)
    }
}

extension ClaimedAccess {
    /// The claimed read in `row`: a record's facts in its first `factsColumns` columns (all null when the outer
    /// join found no record, read by `facts` otherwise), then the user's `userColumns`.
    fileprivate init(_ row: PostgresRow, factsColumns: Int, _ facts: (PostgresRow) throws -> Facts) throws {
        let user = try PostgresRows.user(PostgresRandomAccessRow(row), from: factsColumns)
        let found = try row.first?.decode(UUID?.self) != nil
        self.init(user: user, facts: found ? try facts(row) : nil)
    }
}

/// A prepared statement about one record (`$1`) as one user (`$2`) sees it.
protocol RecordAndUserStatement: PostgresPreparedStatement {
    var recordID: UUID { get }
    var userID: UUID { get }
}

extension RecordAndUserStatement {
    static var bindingDataTypes: [PostgresDataType] { [.uuid, .uuid] }

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(recordID)
        bindings.append(userID)
        return bindings
    }
}
