import Foundation
import PostgresNIO
import TaskCore

extension PostgresTransaction {
    func workspace(_ id: WorkspaceID) async throws -> Workspace? {
        try await rows(
            "SELECT \(unescaped: PostgresRows.workspaceColumns) FROM workspaces w WHERE w.id = \(id.uuid)",
            PostgresRows.workspace
        ).first
    }

    func lockWorkspace(_ id: WorkspaceID) async throws -> Workspace? {
        try await lockedRows(
            "SELECT \(unescaped: PostgresRows.workspaceColumns) FROM workspaces w WHERE w.id = \(id.uuid) FOR UPDATE",
            PostgresRows.workspace
        ).first
    }

    func insertWorkspace(_ workspace: Workspace) async throws {
        try await execute(
            """
            INSERT INTO workspaces (id, name, created_at, updated_at, version)
            VALUES (\(workspace.id.uuid), \(workspace.name), \(workspace.createdAt.bound), \(workspace.updatedAt.bound),
                    \(Int32(clamping: workspace.version)))
            """)
    }

    /// Inserts the workspace, its owner's membership and the events in one statement.
    func insertWorkspace(_ workspace: Workspace, owner: WorkspaceMember, recording events: [ActivityEvent])
        async throws
    {
        guard !events.isEmpty else {
            try await insertWorkspace(workspace)
            return try await insertWorkspaceMember(owner)
        }
        let statement = InsertWorkspaceWithOwnerStatement(
            workspace: workspace, owner: owner, events: try insertStatement(for: events))
        noteRecorded(queued: try await lockedRows(statement))
    }

    func updateWorkspace(_ workspace: Workspace) async throws {
        let changed = try await changedRows(
            """
            UPDATE workspaces SET name = \(workspace.name), updated_at = \(workspace.updatedAt.bound),
                version = \(Int32(clamping: workspace.version))
            WHERE id = \(workspace.id.uuid)
            """)
        if changed == 0 { throw DomainError.notFound(.workspace) }
    }

    func deleteWorkspace(_ id: WorkspaceID) async throws {
        try await execute("DELETE FROM workspaces WHERE id = \(id.uuid)")
    }

    func workspaceMember(_ workspaceID: WorkspaceID, _ userID: UserID) async throws -> WorkspaceMember? {
        try await rows(
            """
            SELECT \(unescaped: PostgresRows.workspaceMemberColumns) FROM workspace_members
            WHERE workspace_id = \(workspaceID.uuid) AND user_id = \(userID.uuid)
            """, PostgresRows.workspaceMember
        ).first
    }

    func lockWorkspaceMember(_ workspaceID: WorkspaceID, _ userID: UserID) async throws -> WorkspaceMember? {
        try await lockedRows(
            """
            SELECT \(unescaped: PostgresRows.workspaceMemberColumns) FROM workspace_members
            WHERE workspace_id = \(workspaceID.uuid) AND user_id = \(userID.uuid) FOR UPDATE
            """, PostgresRows.workspaceMember
        ).first
    }

    func workspaceMemberships(of userID: UserID) async throws -> [WorkspaceMember] {
        try await rows(
            "SELECT \(unescaped: PostgresRows.workspaceMemberColumns) FROM workspace_members WHERE user_id = \(userID.uuid)",
            PostgresRows.workspaceMember)
    }

    func workspaces(
        of userID: UserID, within: Set<WorkspaceID>?, after: PagePosition?, limit: Int
    ) async throws -> [WorkspaceMembership] {
        var builder = SQLBuilder(
            """
            SELECT \(PostgresRows.workspaceColumns), m.role FROM workspaces w
            JOIN workspace_members m ON m.workspace_id = w.id
            """)
        builder.append(" WHERE m.user_id = \(builder.bind(userID.uuid))")
        if let within { builder.append(" AND w.id = ANY(\(builder.bind(within.map(\.uuid))))") }
        builder.appendAfter(after, dateColumn: "w.created_at", idColumn: "w.id")
        builder.append(" ORDER BY w.created_at, w.id LIMIT \(builder.bind(limit))")
        return try await rows(builder.query) { row in
            let (id, name, created, updated, version, role) = try row.decode(
                (UUID, String, Date, Date, Int32, String).self)
            return WorkspaceMembership(
                workspace: Workspace(
                    id: WorkspaceID(id), name: name, createdAt: created.truncatedToMilliseconds,
                    updatedAt: updated.truncatedToMilliseconds, version: Int(version)),
                role: try PostgresRows.decodeEnum(WorkspaceRole.self, role))
        }
    }

    /// The user and the page of `workspaces(of:within:after:limit:)` in one statement: the user drives it, so no
    /// user means no row; a user without workspaces (on this page) gets one row whose workspace columns are null.
    /// The user (or the personal access token and its user) with a page of the user's workspaces, in one
    /// statement: a `LATERAL` join on the user row, narrowed to the token's workspaces when it names some.
    func workspaces(claimedBy identity: ClaimIdentity, after: PagePosition?, limit: Int) async throws
        -> ClaimedAccess<[WorkspaceMembership]>
    {
        var builder = SQLBuilder("")
        let user = PostgresRows.userColumns(as: "u")
        var narrowing = ""
        let presentingToken: Bool
        switch identity {
        case .user(let userID):
            presentingToken = false
            let id = builder.bind(userID.uuid)
            builder.append("SELECT p.id, p.name, p.created_at, p.updated_at, p.version, p.role, \(user)")
            builder.append(" FROM users u")
            narrowing = ") p ON true WHERE u.id = \(id)"
        case .personalToken(let lookup):
            presentingToken = true
            let (digest, at, before) = (
                builder.bind(lookup.digest), builder.bind(lookup.at.bound), builder.bind(lookup.touchingBefore.bound)
            )
            builder.append("WITH \(PostgresRows.touchedToken(digest: digest, at: at, touchingBefore: before))")
            builder.append(" SELECT p.id, p.name, p.created_at, p.updated_at, p.version, p.role, \(user), ")
            builder.append(PostgresRows.presentedTokenColumns(as: "k"))
            builder.append(" FROM personal_access_tokens k JOIN users u ON u.id = k.user_id")
            narrowing = ") p ON true WHERE k.digest = \(digest)"
        }
        builder.append(
            """
             LEFT JOIN LATERAL (
                SELECT \(PostgresRows.workspaceColumns), m.role FROM workspaces w
                JOIN workspace_members m ON m.workspace_id = w.id
                WHERE m.user_id = u.id
            """)
        if presentingToken { builder.append(" AND (k.workspace_ids IS NULL OR w.id = ANY(k.workspace_ids))") }
        builder.appendAfter(after, dateColumn: "w.created_at", idColumn: "w.id")
        builder.append(" ORDER BY w.created_at, w.id LIMIT \(builder.bind(limit))")
        builder.append(narrowing + " ORDER BY p.created_at, p.id")
        let found = try await rows(builder.query) { row -> (User, PersonalAccessToken?, WorkspaceMembership?) in
            let cells = PostgresRandomAccessRow(row)
            let user = try PostgresRows.user(cells, from: 6)
            let token =
                presentingToken ? try PostgresRows.personalToken(cells, from: 6 + PostgresRows.userColumnCount) : nil
            let (id, name, created, updated, version, role) = try row.decode(
                (UUID?, String?, Date?, Date?, Int32?, String?).self)
            guard let id, let name, let created, let updated, let version, let role else { return (user, token, nil) }
            let workspace = Workspace(
                id: WorkspaceID(id), name: name, createdAt: created.truncatedToMilliseconds,
                updatedAt: updated.truncatedToMilliseconds, version: Int(version))
            return (
                user, token,
                WorkspaceMembership(workspace: workspace, role: try PostgresRows.decodeEnum(WorkspaceRole.self, role))
            )
        }
        guard let first = found.first else { return ClaimedAccess(user: nil, facts: nil) }
        return ClaimedAccess(user: first.0, token: first.1, facts: found.compactMap(\.2))
    }

    func workspaceMembers(of workspaceID: WorkspaceID, after: PagePosition?, limit: Int) async throws -> [MemberProfile]
    {
        var builder = SQLBuilder(
            """
            SELECT \(PostgresRows.memberProfileColumns(since: "m.joined_at")) FROM workspace_members m JOIN users u ON u.id = m.user_id
            """)
        builder.append(" WHERE m.workspace_id = \(builder.bind(workspaceID.uuid))")
        builder.appendAfter(after, dateColumn: "m.joined_at", idColumn: "m.user_id")
        builder.append(" ORDER BY m.joined_at, m.user_id LIMIT \(builder.bind(limit))")
        return try await rows(builder.query, PostgresRows.memberProfile)
    }

    func insertWorkspaceMember(_ member: WorkspaceMember) async throws {
        try await execute(
            """
            INSERT INTO workspace_members (workspace_id, user_id, role, joined_at, version)
            VALUES (\(member.workspaceID.uuid), \(member.userID.uuid), \(member.role.rawValue), \(member.joinedAt.bound),
                    \(Int32(clamping: member.version)))
            """)
    }

    func updateWorkspaceMember(_ member: WorkspaceMember) async throws {
        let changed = try await changedRows(
            """
            UPDATE workspace_members SET role = \(member.role.rawValue), version = \(Int32(clamping: member.version))
            WHERE workspace_id = \(member.workspaceID.uuid) AND user_id = \(member.userID.uuid)
            """)
        if changed == 0 { throw DomainError.notFound(.member) }
    }

    func deleteWorkspaceMember(_ workspaceID: WorkspaceID, _ userID: UserID) async throws {
        try await execute(
            "DELETE FROM workspace_members WHERE workspace_id = \(workspaceID.uuid) AND user_id = \(userID.uuid)")
    }

    func lockOwners(of workspaceID: WorkspaceID) async throws -> [UserID] {
        try await beginIfNeeded()
        return try await rows(
            """
            SELECT user_id FROM workspace_members WHERE workspace_id = \(workspaceID.uuid) AND role = 'owner'
            ORDER BY user_id FOR UPDATE
            """
        ) { row in UserID(try row.decode(UUID.self)) }
    }
}
