import Foundation

/// Builds the events of project and membership changes, as the contract shows them.
struct EventRecords {
    let ids: any IDGenerator
    let actorID: UserID
    let at: Date

    /// `project_created`, `project_deleted` (changes `{}`), or `project_updated` with each changed field.
    func project(_ kind: ActivityEventKind, _ project: Project, changes: ActivityChanges = .none) -> ActivityEvent {
        ActivityEvent(
            id: ids.make(), taskID: nil, workspaceID: project.workspaceID, projectID: project.id, actorID: actorID,
            kind: kind, at: at, changes: changes)
    }

    /// `project_updated`'s changes: `name`, `description`, `visibility` and `archived`, those that changed.
    static func projectChanges(from before: Project, to after: Project) -> ActivityChanges {
        var fields: [String: FieldChange] = [:]
        func note(_ field: String, _ old: ActivityValue, _ new: ActivityValue) {
            if old != new { fields[field] = FieldChange(from: old, to: new) }
        }
        note("name", .string(before.name), .string(after.name))
        note("description", .string(before.description), .string(after.description))
        note("visibility", .string(before.visibility.rawValue), .string(after.visibility.rawValue))
        note("archived", .bool(before.isArchived), .bool(after.isArchived))
        return .fields(fields)
    }

    /// A workspace membership added (`from` nil), changed, or removed (`to` nil).
    func workspaceMember(
        _ kind: ActivityEventKind, in workspaceID: WorkspaceID, userID: UserID, from: WorkspaceRole?,
        to: WorkspaceRole?
    ) -> ActivityEvent {
        ActivityEvent(
            id: ids.make(), taskID: nil, workspaceID: workspaceID, projectID: nil, actorID: actorID, kind: kind, at: at,
            changes: .member(userID, role: Self.role(from: from?.rawValue, to: to?.rawValue)))
    }

    /// A project membership added (`from` nil), changed, or removed (`to` nil).
    func projectMember(
        _ kind: ActivityEventKind, in projectID: ProjectID, workspaceID: WorkspaceID, userID: UserID,
        from: ProjectRole?, to: ProjectRole?
    ) -> ActivityEvent {
        ActivityEvent(
            id: ids.make(), taskID: nil, workspaceID: workspaceID, projectID: projectID, actorID: actorID, kind: kind,
            at: at, changes: .member(userID, role: Self.role(from: from?.rawValue, to: to?.rawValue)))
    }

    private static func role(from: String?, to: String?) -> FieldChange {
        FieldChange(from: from.map(ActivityValue.string) ?? .null, to: to.map(ActivityValue.string) ?? .null)
    }
}
