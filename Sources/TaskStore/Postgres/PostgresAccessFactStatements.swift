import Foundation
import PostgresNIO
import TaskCore

// The access reads' SQL, one statement per kind of record (a task, a comment, a project, a workspace, a user's
// memberships); `AccessStatementTexts` builds each one's claimed and locking variants.

/// The locking clause a prepared read ends with, `FOR SHARE` or `FOR UPDATE` of one row. Each is its own type so
/// that each variant is its own prepared statement.
protocol LockClause: Sendable {
    /// The lock the clause takes.
    static var lock: RowLock { get }
}

/// `FOR SHARE OF alias`.
enum ForShare: LockClause {
    static var lock: RowLock { .share }
}

/// `FOR UPDATE OF alias`.
enum ForUpdate: LockClause {
    static var lock: RowLock { .update }
}

/// A task, its project and one user's memberships around it, in one prepared query: the read behind every
/// request that names a task.
struct TaskAccessStatement: AccessFactsStatement {
    static let texts = AccessStatementTexts(TaskAccessStatement.self)
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

/// A comment and its task's facts for one user, in one prepared query: the read behind every request that names a
/// comment. The task's facts come first (the task's id is null when there is no such comment), the comment after.
struct CommentAccessStatement: AccessFactsStatement {
    static let texts = AccessStatementTexts(CommentAccessStatement.self)
    static let table = "comments"
    static let alias = "c"
    static let columns = "\(TaskAccessStatement.columns), \(PostgresRows.commentColumns(as: "c"))"
    static let joins = "LEFT JOIN tasks t ON t.id = c.task_id\n" + TaskAccessStatement.joins

    var recordID: UUID
    var userID: UUID

    func decodeRow(_ row: PostgresRow) throws -> CommentAccessFacts { try Self.facts(row) }

    /// The facts in a row that starts with this statement's columns.
    static func facts(_ row: PostgresRow) throws -> CommentAccessFacts {
        CommentAccessFacts(
            comment: try PostgresRows.comment(PostgresRandomAccessRow(row), from: TaskAccessStatement.columnCount),
            task: try TaskAccessStatement.facts(row))
    }

    /// How many columns the facts take.
    static var columnCount: Int { TaskAccessStatement.columnCount + PostgresRows.commentColumnCount }
}

/// A project and one user's memberships around it, in one prepared query.
struct ProjectAccessStatement: AccessFactsStatement {
    static let texts = AccessStatementTexts(ProjectAccessStatement.self)
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

/// A workspace and one user's membership in it, in one prepared query: the read behind every request that names a
/// workspace.
struct WorkspaceAccessStatement: AccessFactsStatement {
    static let texts = AccessStatementTexts(WorkspaceAccessStatement.self)
    static let table = "workspaces"
    static let alias = "w"
    static let columns = "\(PostgresRows.workspaceColumns), wm.role"
    static let joins = "LEFT JOIN workspace_members wm ON wm.workspace_id = w.id AND wm.user_id = $2"

    var recordID: UUID
    var userID: UUID

    func decodeRow(_ row: PostgresRow) throws -> WorkspaceAccessFacts { try Self.facts(row) }

    /// The facts in a row that starts with this statement's columns.
    static func facts(_ row: PostgresRow) throws -> WorkspaceAccessFacts {
        WorkspaceAccessFacts(
            workspace: try PostgresRows.workspace(row),
            memberRole: try PostgresRows.optionalEnum(
                WorkspaceRole.self, PostgresRandomAccessRow(row)[PostgresRows.workspaceColumnCount]))
    }

    /// How many columns the facts take.
    static var columnCount: Int { PostgresRows.workspaceColumnCount + 1 }
}

/// A user's row and every workspace membership of that user, in one prepared query: a list checks the token's
/// user and learns what the user sees in one round trip. One row per membership, each with the user; one row with
/// no membership for a user without any; none for no such user.
struct ClaimedMembershipsStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT \(PostgresRows.workspaceMemberColumns(as: "wm")), \(PostgresRows.userColumns(as: "u"))
        FROM users u LEFT JOIN workspace_members wm ON wm.user_id = u.id
        WHERE u.id = $1
        """
    static let bindingDataTypes: [PostgresDataType] = [.uuid]

    var userID: UUID

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(userID)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> ClaimedMembershipRow { try ClaimedMembershipRow(row) }
}

/// `ClaimedMembershipsStatement` for a request with a personal access token: the token found by its digest (`$1`),
/// its user and the user's memberships, the token's `last_used_at` written when due (`$2`, `$3`). No row for an
/// unknown token.
struct TokenClaimedMembershipsStatement: PostgresPreparedStatement {
    static let sql = """
        WITH \(PostgresRows.touchedToken(digest: "$1", at: "$2", touchingBefore: "$3"))
        SELECT \(PostgresRows.workspaceMemberColumns(as: "wm")), \(PostgresRows.userColumns(as: "u")),
            \(PostgresRows.presentedTokenColumns(as: "k"))
        FROM personal_access_tokens k JOIN users u ON u.id = k.user_id
        LEFT JOIN workspace_members wm ON wm.user_id = u.id
        WHERE k.digest = $1
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .timestamptz, .timestamptz]

    var lookup: PersonalTokenLookup

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(lookup)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> ClaimedMembershipRow {
        try ClaimedMembershipRow(row, presentingToken: true)
    }
}

/// One row of a claimed memberships read: the user, the token it was found through (for a personal access
/// token), and one membership, or none for a user without any.
struct ClaimedMembershipRow: Sendable {
    let user: User
    let token: PersonalAccessToken?
    let member: WorkspaceMember?

    /// The row's membership's columns first, then the user's, then, when `presentingToken`, the token's.
    init(_ row: PostgresRow, presentingToken: Bool = false) throws {
        let cells = PostgresRandomAccessRow(row)
        let userOffset = PostgresRows.workspaceMemberColumnCount
        user = try PostgresRows.user(cells, from: userOffset)
        token =
            presentingToken
            ? try PostgresRows.personalToken(cells, from: userOffset + PostgresRows.userColumnCount) : nil
        let hasMember = try row.first?.decode(UUID?.self) != nil
        member = hasMember ? try PostgresRows.workspaceMember(row) : nil
    }
}
