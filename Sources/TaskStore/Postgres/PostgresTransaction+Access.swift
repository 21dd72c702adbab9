import Foundation
import PostgresNIO
import TaskCore

extension PostgresTransaction {
    func taskAccess(_ id: TaskID, for userID: UserID) async throws -> TaskAccessFacts? {
        try await rows(TaskAccessStatement(recordID: id.uuid, userID: userID.uuid)).first
    }

    func projectAccess(_ id: ProjectID, for userID: UserID) async throws -> ProjectAccessFacts? {
        try await rows(ProjectAccessStatement(recordID: id.uuid, userID: userID.uuid)).first
    }

    func workspaceAccess(_ id: WorkspaceID, for userID: UserID) async throws -> WorkspaceAccessFacts? {
        try await rows(WorkspaceAccessStatement(recordID: id.uuid, userID: userID.uuid)).first
    }

    func workspaceAccess(_ id: WorkspaceID, claimedBy identity: ClaimIdentity) async throws -> ClaimedWorkspaceAccess {
        try await claimed(WorkspaceAccessStatement.self, id.uuid, identity)
    }

    func workspaceMemberships(claimedBy identity: ClaimIdentity) async throws -> ClaimedMemberships {
        let found =
            switch identity {
            case .user(let userID): try await rows(ClaimedMembershipsStatement(userID: userID.uuid))
            case .personalToken(let lookup): try await rows(TokenClaimedMembershipsStatement(lookup: lookup))
            }
        guard let first = found.first else { return ClaimedAccess(user: nil, facts: nil) }
        return ClaimedAccess(user: first.user, token: first.token, facts: found.compactMap(\.member))
    }

    func taskAccess(_ id: TaskID, claimedBy identity: ClaimIdentity) async throws -> ClaimedTaskAccess {
        try await claimed(TaskAccessStatement.self, id.uuid, identity)
    }

    func projectAccess(_ id: ProjectID, claimedBy identity: ClaimIdentity) async throws -> ClaimedProjectAccess {
        try await claimed(ProjectAccessStatement.self, id.uuid, identity)
    }

    /// Locks the task row and reads its facts in one statement (`LockedAccessStatement`); when the lock had to
    /// wait for a change that committed after the statement began, the facts are read again in a statement of
    /// their own, which sees that change.
    func taskAccess(_ id: TaskID, for userID: UserID, locking lock: RowLock) async throws -> TaskAccessFacts? {
        guard let found = try await locked(TaskAccessStatement.self, id.uuid, userID.uuid, lock) else { return nil }
        return found.isCurrent ? found.facts : try await taskAccess(id, for: userID)
    }

    /// Locks the project row and reads its facts in one statement (see `taskAccess(_:for:locking:)`).
    func projectAccess(_ id: ProjectID, for userID: UserID, locking lock: RowLock) async throws -> ProjectAccessFacts? {
        guard let found = try await locked(ProjectAccessStatement.self, id.uuid, userID.uuid, lock) else { return nil }
        return found.isCurrent ? found.facts : try await projectAccess(id, for: userID)
    }

    /// Reads the user with the locked task's facts in one statement (see `taskAccess(_:for:locking:)`).
    func taskAccess(_ id: TaskID, claimedBy identity: ClaimIdentity, locking lock: RowLock) async throws
        -> ClaimedTaskAccess
    {
        let found = try await claimedLocked(TaskAccessStatement.self, id.uuid, identity, lock)
        guard let user = found.access.user, found.access.facts != nil, !found.isCurrent else { return found.access }
        return ClaimedAccess(user: user, token: found.access.token, facts: try await taskAccess(id, for: user.id))
    }

    /// Reads the user with the locked project's facts in one statement (see `taskAccess(_:for:locking:)`).
    func projectAccess(_ id: ProjectID, claimedBy identity: ClaimIdentity, locking lock: RowLock) async throws
        -> ClaimedProjectAccess
    {
        let found = try await claimedLocked(ProjectAccessStatement.self, id.uuid, identity, lock)
        guard let user = found.access.user, found.access.facts != nil, !found.isCurrent else { return found.access }
        return ClaimedAccess(user: user, token: found.access.token, facts: try await projectAccess(id, for: user.id))
    }

    /// Locks the workspace row and reads its facts in one statement (see `taskAccess(_:for:locking:)`).
    func workspaceAccess(_ id: WorkspaceID, for userID: UserID, locking lock: RowLock) async throws
        -> WorkspaceAccessFacts?
    {
        guard let found = try await locked(WorkspaceAccessStatement.self, id.uuid, userID.uuid, lock) else {
            return nil
        }
        return found.isCurrent ? found.facts : try await workspaceAccess(id, for: userID)
    }

    /// Reads the user with the locked workspace's facts in one statement (see `taskAccess(_:for:locking:)`).
    func workspaceAccess(_ id: WorkspaceID, claimedBy identity: ClaimIdentity, locking lock: RowLock) async throws
        -> ClaimedWorkspaceAccess
    {
        let found = try await claimedLocked(WorkspaceAccessStatement.self, id.uuid, identity, lock)
        guard let user = found.access.user, found.access.facts != nil, !found.isCurrent else { return found.access }
        return ClaimedAccess(user: user, token: found.access.token, facts: try await workspaceAccess(id, for: user.id))
    }

    /// `ClaimedAccessStatement<Read>`'s one row (or `TokenClaimedAccessStatement<Read>`'s), or nothing found when
    /// there is no such user (or token).
    private func claimed<Read: AccessFactsStatement>(_ read: Read.Type, _ id: UUID, _ identity: ClaimIdentity)
        async throws -> ClaimedAccess<Read.Facts>
    {
        let found =
            switch identity {
            case .user(let userID):
                try await rows(ClaimedAccessStatement<Read>(recordID: id, userID: userID.uuid)).first
            case .personalToken(let lookup):
                try await rows(TokenClaimedAccessStatement<Read>(recordID: id, lookup: lookup)).first
            }
        return found ?? ClaimedAccess(user: nil, facts: nil)
    }

    /// `LockedAccessStatement<Read, …>` with the lock `lock` names.
    private func locked<Read: AccessFactsStatement>(_ read: Read.Type, _ id: UUID, _ userID: UUID, _ lock: RowLock)
        async throws -> LockedFacts<Read.Facts>?
    {
        switch lock {
        case .share: try await lockedRows(LockedAccessStatement<Read, ForShare>(recordID: id, userID: userID)).first
        case .update: try await lockedRows(LockedAccessStatement<Read, ForUpdate>(recordID: id, userID: userID)).first
        }
    }

    /// `ClaimedLockedAccessStatement<Read, …>` (or `TokenClaimedLockedAccessStatement<Read, …>`) with the lock
    /// `lock` names; nothing found when there is no such user (or token).
    private func claimedLocked<Read: AccessFactsStatement>(
        _ read: Read.Type, _ id: UUID, _ identity: ClaimIdentity, _ lock: RowLock
    ) async throws -> ClaimedLockedFacts<Read.Facts> {
        let found =
            switch (identity, lock) {
            case (.user(let userID), .share):
                try await lockedRows(ClaimedLockedAccessStatement<Read, ForShare>(recordID: id, userID: userID.uuid))
                    .first
            case (.user(let userID), .update):
                try await lockedRows(ClaimedLockedAccessStatement<Read, ForUpdate>(recordID: id, userID: userID.uuid))
                    .first
            case (.personalToken(let lookup), .share):
                try await lockedRows(TokenClaimedLockedAccessStatement<Read, ForShare>(recordID: id, lookup: lookup))
                    .first
            case (.personalToken(let lookup), .update):
                try await lockedRows(TokenClaimedLockedAccessStatement<Read, ForUpdate>(recordID: id, lookup: lookup))
                    .first
            }
        return found ?? ClaimedLockedFacts(access: ClaimedAccess(user: nil, facts: nil), isCurrent: true)
    }
}

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
