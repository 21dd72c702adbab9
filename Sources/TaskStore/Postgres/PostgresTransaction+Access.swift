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
}

/// A task, its project and one user's memberships around it, in one prepared query: the read behind every
/// request that names a task.
struct TaskAccessStatement: RecordAndUserStatement {
    static let sql = """
        SELECT \(PostgresRows.taskColumns), wm.role, pm.role, \(PostgresRows.projectColumns)
        FROM tasks t
        LEFT JOIN projects p ON p.id = t.project_id
        LEFT JOIN workspace_members wm ON wm.workspace_id = t.workspace_id AND wm.user_id = $2
        LEFT JOIN project_members pm ON pm.project_id = t.project_id AND pm.user_id = $2
        WHERE t.id = $1
        """

    var recordID: UUID
    var userID: UUID

    func decodeRow(_ row: PostgresRow) throws -> TaskAccessFacts {
        let task = try PostgresRows.task(row)
        let rest = Array(row.dropFirst(PostgresRows.taskColumnCount))
        return TaskAccessFacts(
            task: task, project: try PostgresRows.optionalProject(rest.dropFirst(2)),
            workspaceMemberRole: try PostgresRows.optionalEnum(WorkspaceRole.self, rest[0]),
            projectMemberRole: try PostgresRows.optionalEnum(ProjectRole.self, rest[1]))
    }
}

/// A project and one user's memberships around it, in one prepared query.
struct ProjectAccessStatement: RecordAndUserStatement {
    static let sql = """
        SELECT \(PostgresRows.projectColumns), wm.role, pm.role
        FROM projects p
        LEFT JOIN workspace_members wm ON wm.workspace_id = p.workspace_id AND wm.user_id = $2
        LEFT JOIN project_members pm ON pm.project_id = p.id AND pm.user_id = $2
        WHERE p.id = $1
        """

    var recordID: UUID
    var userID: UUID

    func decodeRow(_ row: PostgresRow) throws -> ProjectAccessFacts {
        let project = try PostgresRows.project(row)
        let rest = Array(row.dropFirst(PostgresRows.projectColumnCount))
        return ProjectAccessFacts(
            project: project, workspaceMemberRole: try PostgresRows.optionalEnum(WorkspaceRole.self, rest[0]),
            projectMemberRole: try PostgresRows.optionalEnum(ProjectRole.self, rest[1]))
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
