import Foundation
import TaskCore

/// The bodies of the `/api/v1/workspaces` and `/api/v1/projects` routes.
enum WorkspaceRequests {
    /// A new workspace member.
    struct NewMember: Equatable {
        let email: String
        let role: WorkspaceRole?
    }

    /// A new project member.
    struct NewProjectMember: Equatable {
        let userID: UserID
        let role: ProjectRole?
    }

    /// `{name}` of a new workspace.
    static func newWorkspaceName(_ body: JSONBody) throws -> String {
        var body = body
        let name = body.required("name", body.string("name"))
        guard let name, body.isValid else { throw body.failure() }
        return name
    }

    /// `{name}` of `PATCH /api/v1/workspaces/{id}`: may be left out, never `null`.
    static func workspaceName(_ body: JSONBody) throws -> String? {
        var body = body
        let name = body.value(body.nonNull("name", body.string("name")))
        try body.finish()
        return name
    }

    /// `{email, role?}` of a new workspace member.
    static func newMember(_ body: JSONBody) throws -> NewMember {
        var body = body
        let email = body.required("email", body.string("email"))
        let role = body.optional(body.choice("role", as: WorkspaceRole.self))
        guard let email, body.isValid else {
            throw body.failure(alongWith: email.map { EmailAddress.errors(of: $0) } ?? [])
        }
        return NewMember(email: email, role: role)
    }

    /// `{role}` of a workspace or project member's change.
    static func role<Role: RawRepresentable & CaseIterable & Sendable>(_ body: JSONBody, as _: Role.Type) throws -> Role
    where Role.RawValue == String {
        var body = body
        let role = body.required("role", body.choice("role", as: Role.self))
        guard let role, body.isValid else { throw body.failure() }
        return role
    }

    /// `{workspace_id, name, description?, visibility?}` of a new project.
    static func newProject(_ body: JSONBody) throws -> NewProject {
        var body = body
        let workspaceID = body.required("workspace_id", body.id("workspace_id", as: IDKind.Workspace.self))
        let name = body.required("name", body.string("name"))
        let description = body.optional(body.string("description"))
        let visibility = body.optional(body.choice("visibility", as: ProjectVisibility.self))
        guard let workspaceID, let name, body.isValid else {
            throw body.failure(alongWith: NewProject.fieldErrors(name: name, description: description))
        }
        return NewProject(workspaceID: workspaceID, name: name, description: description, visibility: visibility)
    }

    /// `PATCH /api/v1/projects/{id}`: `name`, `description`, `visibility`, `archived`.
    static func projectPatch(_ body: JSONBody) throws -> ProjectPatch {
        var body = body
        let patch = ProjectPatch(
            name: body.nonNull("name", body.string("name")), description: body.string("description"),
            visibility: body.nonNull("visibility", body.choice("visibility")),
            isArchived: body.nonNull("archived", body.bool("archived")))
        try body.finish(alongWith: patch.fieldErrors)
        return patch
    }

    /// `{user_id, role?}` of a new project member.
    static func newProjectMember(_ body: JSONBody) throws -> NewProjectMember {
        var body = body
        let userID = body.required("user_id", body.id("user_id", as: IDKind.User.self))
        let role = body.optional(body.choice("role", as: ProjectRole.self))
        guard let userID, body.isValid else { throw body.failure() }
        return NewProjectMember(userID: userID, role: role)
    }
}
