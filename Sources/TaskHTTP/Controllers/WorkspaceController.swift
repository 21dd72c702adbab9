import Hummingbird
import TaskCore

/// `/api/v1/workspaces/*`: workspaces and their members.
struct WorkspaceController: Sendable {
    let workspaces: WorkspaceService

    var routes: [Route] {
        [
            .authenticated(.post, "/api/v1/workspaces", create),
            .claimed(.get, "/api/v1/workspaces", list),
            .claimed(.get, "/api/v1/workspaces/{id}", read),
            .claimed(.patch, "/api/v1/workspaces/{id}", rename),
            .claimed(.delete, "/api/v1/workspaces/{id}", delete),
            .claimed(.get, "/api/v1/workspaces/{id}/members", members),
            .claimed(.post, "/api/v1/workspaces/{id}/members", addMember),
            .claimed(.get, "/api/v1/workspaces/{id}/members/{user_id}", member),
            .claimed(.patch, "/api/v1/workspaces/{id}/members/{user_id}", changeMember),
            .claimed(.delete, "/api/v1/workspaces/{id}/members/{user_id}", removeMember),
        ]
    }

    func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let name = try WorkspaceRequests.newWorkspaceName(try await JSONBody.read(request, context: context.request))
        let workspace = try await workspaces.create(context.caller, name: name)
        return try Responses.tagged(
            WorkspaceDTO(workspace), status: .created, location: "/api/v1/workspaces/\(workspace.workspace.id)")
    }

    func list(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let list = try await workspaces.workspaces(context.claim, page: try QueryReader.page(request.uri.query))
        return try Responses.page(list, WorkspaceDTO.init)
    }

    func read(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try Responses.read(
            WorkspaceDTO(try await workspaces.workspace(context.claim, id: try context.pathID("id", .workspace))),
            for: request)
    }

    func rename(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let id: WorkspaceID = try context.pathID("id", .workspace)
        let body = try await JSONBody.read(request, context: context.request)
        let workspace = try await workspaces.rename(
            context.claim, id: id, precondition: Preconditions.ifMatch(request)
        ) {
            try WorkspaceRequests.workspaceName(body)
        }
        return try Responses.tagged(WorkspaceDTO(workspace))
    }

    func delete(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try await workspaces.delete(
            context.claim, id: try context.pathID("id", .workspace), precondition: Preconditions.ifMatch(request))
        return Responses.noContent()
    }

    func members(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let id: WorkspaceID = try context.pathID("id", .workspace)
        let members = try await workspaces.members(
            context.claim, of: id, page: try QueryReader.page(request.uri.query))
        return try Responses.page(members, MemberDTO.init)
    }

    func addMember(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let id: WorkspaceID = try context.pathID("id", .workspace)
        let new = try WorkspaceRequests.newMember(try await JSONBody.read(request, context: context.request))
        let member = try await workspaces.addMember(context.claim, to: id, email: new.email, role: new.role)
        return try Responses.tagged(
            MemberDTO(member), status: .created, location: "/api/v1/workspaces/\(id)/members/\(member.userID)")
    }

    func member(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let member = try await workspaces.member(
            context.claim, of: try context.pathID("id", .workspace), userID: try context.pathID("user_id", .member))
        return try Responses.read(MemberDTO(member), for: request)
    }

    func changeMember(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let id: WorkspaceID = try context.pathID("id", .workspace)
        let userID: UserID = try context.pathID("user_id", .member)
        let body = try await JSONBody.read(request, context: context.request)
        let member = try await workspaces.changeRole(
            context.claim, in: id, userID: userID, precondition: Preconditions.ifMatch(request)
        ) { try WorkspaceRequests.role(body, as: WorkspaceRole.self) }
        return try Responses.tagged(MemberDTO(member))
    }

    func removeMember(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try await workspaces.removeMember(
            context.claim, from: try context.pathID("id", .workspace), userID: try context.pathID("user_id", .member),
            precondition: Preconditions.ifMatch(request))
        return Responses.noContent()
    }
}
