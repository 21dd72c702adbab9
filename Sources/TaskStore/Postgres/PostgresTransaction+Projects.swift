import Foundation
import PostgresNIO
import TaskCore

extension PostgresTransaction {
    func project(_ id: ProjectID) async throws -> Project? {
        try await rows(
            "SELECT \(unescaped: PostgresRows.projectColumns) FROM projects p WHERE p.id = \(id.uuid)",
            PostgresRows.project
        )
        .first
    }

    func insertProject(_ project: Project) async throws {
        try await execute(
            """
            INSERT INTO projects (id, workspace_id, name, description, visibility, is_archived, created_at, updated_at, version)
            VALUES (\(project.id.uuid), \(project.workspaceID.uuid), \(project.name), \(project.description),
                    \(project.visibility.rawValue), \(project.isArchived), \(project.createdAt.bound), \(project.updatedAt.bound),
                    \(Int32(clamping: project.version)))
            """)
    }

    /// Inserts the project, its creator's membership and the events in one statement.
    func insertProject(_ project: Project, creator: ProjectMember, recording events: [ActivityEvent]) async throws {
        guard !events.isEmpty else {
            try await insertProject(project)
            return try await insertProjectMember(creator)
        }
        let statement = InsertProjectWithCreatorStatement(
            project: project, creator: creator, events: try insertStatement(for: events))
        noteRecorded(queued: try await lockedRows(statement))
    }

    func updateProject(_ project: Project) async throws {
        let changed = try await changedRows(
            """
            UPDATE projects SET name = \(project.name), description = \(project.description),
                visibility = \(project.visibility.rawValue), is_archived = \(project.isArchived),
                updated_at = \(project.updatedAt.bound), version = \(Int32(clamping: project.version))
            WHERE id = \(project.id.uuid)
            """)
        if changed == 0 { throw DomainError.notFound(.project) }
    }

    /// Updates the project and appends the events in one statement; the events only when the project was there.
    func updateProject(_ project: Project, recording events: [ActivityEvent]) async throws {
        guard !events.isEmpty else { return try await updateProject(project) }
        let statement = UpdateProjectWithEventsStatement(
            write: UpdateProjectStatement(project: project), events: try insertStatement(for: events))
        let rows = try await lockedRows(statement)
        noteRecorded(queued: rows.map(\.queuedDeliveries))
        if rows.first?.updated != true { throw DomainError.notFound(.project) }
    }

    func deleteProject(_ id: ProjectID) async throws {
        try await execute("DELETE FROM projects WHERE id = \(id.uuid)")
    }

    func projects(
        visibleIn scope: VisibilityScope, workspaceID: WorkspaceID?, isArchived: Bool?, after: PagePosition?, limit: Int
    ) async throws -> [Project] {
        var builder = SQLBuilder("SELECT \(PostgresRows.projectColumns) FROM projects p WHERE ")
        builder.appendProjectVisibility(scope, projectAlias: "p")
        if let workspaceID { builder.append(" AND p.workspace_id = \(builder.bind(workspaceID.uuid))") }
        if let isArchived { builder.append(" AND p.is_archived = \(builder.bind(isArchived))") }
        builder.appendAfter(after, dateColumn: "p.created_at", idColumn: "p.id")
        builder.append(" ORDER BY p.created_at, p.id LIMIT \(builder.bind(limit))")
        return try await rows(builder.query, PostgresRows.project)
    }

    func projectMember(_ projectID: ProjectID, _ userID: UserID) async throws -> ProjectMember? {
        try await rows(
            """
            SELECT \(unescaped: PostgresRows.projectMemberColumns) FROM project_members
            WHERE project_id = \(projectID.uuid) AND user_id = \(userID.uuid)
            """, PostgresRows.projectMember
        ).first
    }

    func lockProjectMember(_ projectID: ProjectID, _ userID: UserID) async throws -> ProjectMember? {
        try await lockedRows(
            """
            SELECT \(unescaped: PostgresRows.projectMemberColumns) FROM project_members
            WHERE project_id = \(projectID.uuid) AND user_id = \(userID.uuid) FOR UPDATE
            """, PostgresRows.projectMember
        ).first
    }

    func projectMembers(of projectID: ProjectID, after: PagePosition?, limit: Int) async throws -> [MemberProfile] {
        var builder = SQLBuilder(
            """
            SELECT \(PostgresRows.memberProfileColumns(since: "m.added_at")) FROM project_members m JOIN users u ON u.id = m.user_id
            """)
        builder.append(" WHERE m.project_id = \(builder.bind(projectID.uuid))")
        builder.appendAfter(after, dateColumn: "m.added_at", idColumn: "m.user_id")
        builder.append(" ORDER BY m.added_at, m.user_id LIMIT \(builder.bind(limit))")
        return try await rows(builder.query, PostgresRows.memberProfile)
    }

    func insertProjectMember(_ member: ProjectMember) async throws {
        try await execute(
            """
            INSERT INTO project_members (project_id, workspace_id, user_id, role, added_at, version)
            VALUES (\(member.projectID.uuid), \(member.workspaceID.uuid), \(member.userID.uuid), \(member.role.rawValue),
                    \(member.addedAt.bound), \(Int32(clamping: member.version)))
            """)
    }

    func updateProjectMember(_ member: ProjectMember) async throws {
        let changed = try await changedRows(
            """
            UPDATE project_members SET role = \(member.role.rawValue), version = \(Int32(clamping: member.version))
            WHERE project_id = \(member.projectID.uuid) AND user_id = \(member.userID.uuid)
            """)
        if changed == 0 { throw DomainError.notFound(.projectMember) }
    }

    func deleteProjectMember(_ projectID: ProjectID, _ userID: UserID) async throws {
        try await execute(
            "DELETE FROM project_members WHERE project_id = \(projectID.uuid) AND user_id = \(userID.uuid)")
    }

    func deleteProjectMemberships(of userID: UserID, in workspaceID: WorkspaceID) async throws -> [ProjectMember] {
        try await rows(
            """
            DELETE FROM project_members WHERE user_id = \(userID.uuid) AND workspace_id = \(workspaceID.uuid)
            RETURNING \(unescaped: PostgresRows.projectMemberColumns)
            """, PostgresRows.projectMember
        ).sorted { $0.projectID < $1.projectID }
    }
}

extension SQLBuilder {
    /// Appends `VisibilityScope.admits(_:hasProjectRole:)` as SQL over the project row `alias`.
    mutating func appendProjectVisibility(_ scope: VisibilityScope, projectAlias alias: String) {
        if scope.isUnrestricted {
            append("TRUE")
            return
        }
        let admin = bind(scope.adminWorkspaces.map(\.uuid))
        let member = bind(scope.memberWorkspaces.map(\.uuid))
        let any = bind(scope.anyRoleWorkspaces.map(\.uuid))
        let user = bind(scope.userID.uuid)
        append(
            """
            (\(alias).workspace_id = ANY(\(admin)) \
            OR (\(alias).visibility = 'workspace' AND \(alias).workspace_id = ANY(\(member))) \
            OR (\(alias).workspace_id = ANY(\(any)) AND EXISTS (SELECT 1 FROM project_members pm \
                WHERE pm.project_id = \(alias).id AND pm.user_id = \(user))))
            """)
    }
}
