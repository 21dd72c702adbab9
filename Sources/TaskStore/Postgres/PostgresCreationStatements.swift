import Foundation
import PostgresNIO
import TaskCore

// A new workspace or project with its creator's membership and the events that record them, in one statement:
// creating either costs one round trip for its writes instead of three.

/// A new workspace, its first owner's membership and the events that record them.
struct InsertWorkspaceWithOwnerStatement: AppendsBindings {
    typealias Row = Bool

    static let sql =
        """
        WITH new_workspace AS (
            INSERT INTO workspaces (id, name, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5) RETURNING 1
        ), new_member AS (
            INSERT INTO workspace_members (workspace_id, user_id, role, joined_at, version)
            VALUES ($6, $7, $8, $9, $10) RETURNING 1
        ),
        """ + " " + InsertEventsStatement.expressions(parametersFrom: 11)
    static let bindingDataTypes: [PostgresDataType] =
        [.uuid, .text, .timestamptz, .timestamptz, .int4, .uuid, .uuid, .text, .timestamptz, .int4]
        + InsertEventsStatement.bindingDataTypes

    var workspace: Workspace
    var owner: WorkspaceMember
    var events: InsertEventsStatement

    /// Appends the workspace's five bindings, the membership's five, then the events'.
    func appendBindings(to bindings: inout PostgresBindings) {
        bindings.append(workspace.id.uuid)
        bindings.append(workspace.name)
        bindings.append(workspace.createdAt.bound)
        bindings.append(workspace.updatedAt.bound)
        bindings.append(Int32(clamping: workspace.version))
        bindings.append(owner.workspaceID.uuid)
        bindings.append(owner.userID.uuid)
        bindings.append(owner.role.rawValue)
        bindings.append(owner.joinedAt.bound)
        bindings.append(Int32(clamping: owner.version))
        events.appendBindings(to: &bindings)
    }

    func decodeRow(_ row: PostgresRow) throws -> Bool { try events.decodeRow(row) }
}

/// A new project, its creator's membership and the events that record them.
struct InsertProjectWithCreatorStatement: AppendsBindings {
    typealias Row = Bool

    static let sql =
        """
        WITH new_project AS (
            INSERT INTO projects (id, workspace_id, name, description, visibility, is_archived, created_at,
                updated_at, version)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING 1
        ), new_member AS (
            INSERT INTO project_members (project_id, workspace_id, user_id, role, added_at, version)
            VALUES ($10, $11, $12, $13, $14, $15) RETURNING 1
        ),
        """ + " " + InsertEventsStatement.expressions(parametersFrom: 16)
    static let bindingDataTypes: [PostgresDataType] =
        [.uuid, .uuid, .text, .text, .text, .bool, .timestamptz, .timestamptz, .int4]
        + [.uuid, .uuid, .uuid, .text, .timestamptz, .int4]
        + InsertEventsStatement.bindingDataTypes

    var project: Project
    var creator: ProjectMember
    var events: InsertEventsStatement

    /// Appends the project's nine bindings, the membership's six, then the events'.
    func appendBindings(to bindings: inout PostgresBindings) {
        bindings.append(project.id.uuid)
        bindings.append(project.workspaceID.uuid)
        bindings.append(project.name)
        bindings.append(project.description)
        bindings.append(project.visibility.rawValue)
        bindings.append(project.isArchived)
        bindings.append(project.createdAt.bound)
        bindings.append(project.updatedAt.bound)
        bindings.append(Int32(clamping: project.version))
        bindings.append(creator.projectID.uuid)
        bindings.append(creator.workspaceID.uuid)
        bindings.append(creator.userID.uuid)
        bindings.append(creator.role.rawValue)
        bindings.append(creator.addedAt.bound)
        bindings.append(Int32(clamping: creator.version))
        events.appendBindings(to: &bindings)
    }

    func decodeRow(_ row: PostgresRow) throws -> Bool { try events.decodeRow(row) }
}
