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
    func workspaces(claimedBy userID: UserID, after: PagePosition?, limit: Int) async throws
        -> ClaimedAccess<[WorkspaceMembership]>
    {
        var builder = SQLBuilder(
            """
            SELECT p.id, p.name, p.created_at, p.updated_at, p.version, p.role, \(PostgresRows.userColumns(as: "u"))
            FROM users u LEFT JOIN LATERAL (
                SELECT \(PostgresRows.workspaceColumns), m.role FROM workspaces w
                JOIN workspace_members m ON m.workspace_id = w.id
                WHERE m.user_id = u.id
            """)
        builder.appendAfter(after, dateColumn: "w.created_at", idColumn: "w.id")
        builder.append(" ORDER BY w.created_at, w.id LIMIT \(builder.bind(limit))) p ON true")
        builder.append(" WHERE u.id = \(builder.bind(userID.uuid)) ORDER BY p.created_at, p.id")
        let found = try await rows(builder.query) { row -> (User, WorkspaceMembership?) in
            let user = try PostgresRows.user(PostgresRandomAccessRow(row), from: 6)
            let (id, name, created, updated, version, role) = try row.decode(
                (UUID?, String?, Date?, Date?, Int32?, String?).self)
            guard let id, let name, let created, let updated, let version, let role else { return (user, nil) }
            let workspace = Workspace(
                id: WorkspaceID(id), name: name, createdAt: created.truncatedToMilliseconds,
                updatedAt: updated.truncatedToMilliseconds, version: Int(version))
            return (
                user,
                WorkspaceMembership(workspace: workspace, role: try PostgresRows.decodeEnum(WorkspaceRole.self, role))
            )
        }
        guard let user = found.first?.0 else { return ClaimedAccess(user: nil, facts: nil) }
        return ClaimedAccess(user: user, facts: found.compactMap(\.1))
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
