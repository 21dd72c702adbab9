import Hummingbird
import TaskCore

/// `/api/v1/projects/*`: projects and their members.
struct ProjectController: Sendable {
    let projects: ProjectService
    let members: ProjectMemberService

    var routes: [Route] {
        [
            .claimed(.post, "/api/v1/projects", create),
            .claimed(.get, "/api/v1/projects", list),
            .claimed(.get, "/api/v1/projects/{id}", read),
            .claimed(.patch, "/api/v1/projects/{id}", change),
            .claimed(.delete, "/api/v1/projects/{id}", delete),
            .claimed(.get, "/api/v1/projects/{id}/members", listMembers),
            .claimed(.post, "/api/v1/projects/{id}/members", addMember),
            .claimed(.get, "/api/v1/projects/{id}/members/{user_id}", member),
            .claimed(.patch, "/api/v1/projects/{id}/members/{user_id}", changeMember),
            .claimed(.delete, "/api/v1/projects/{id}/members/{user_id}", removeMember),
        ]
    }

    func create(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let input = try WorkspaceRequests.newProject(try await JSONBody.read(request, context: context.request))
        let project = try await projects.create(context.claim, input)
        return try Responses.tagged(ProjectDTO(project), status: .created, location: "/api/v1/projects/\(project.id)")
    }

    func list(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        var query = QueryReader(request.uri.query)
        let workspaceID = query.id("workspace_id", as: IDKind.Workspace.self)
        let archived = query.bool("archived")
        let page = query.page()
        try query.finish()
        let list = try await projects.projects(
            context.claim, workspaceID: workspaceID, isArchived: archived, page: page ?? .first)
        return try Responses.page(list, ProjectDTO.init)
    }

    func read(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try Responses.read(
            ProjectDTO(try await projects.project(context.claim, id: try context.pathID("id", .project))), for: request
        )
    }

    func change(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let id: ProjectID = try context.pathID("id", .project)
        let body = try await JSONBody.read(request, context: context.request)
        let project = try await projects.update(context.claim, id: id, precondition: Preconditions.ifMatch(request)) {
            try WorkspaceRequests.projectPatch(body)
        }
        return try Responses.tagged(ProjectDTO(project))
    }

    func delete(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try await projects.delete(
            context.claim, id: try context.pathID("id", .project), precondition: Preconditions.ifMatch(request))
        return Responses.noContent()
    }

    func listMembers(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let id: ProjectID = try context.pathID("id", .project)
        let list = try await members.members(context.claim, of: id, page: try QueryReader.page(request.uri.query))
        return try Responses.page(list, MemberDTO.init)
    }

    func addMember(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let id: ProjectID = try context.pathID("id", .project)
        let new = try WorkspaceRequests.newProjectMember(try await JSONBody.read(request, context: context.request))
        let member = try await members.addMember(context.claim, to: id, userID: new.userID, role: new.role)
        return try Responses.tagged(
            MemberDTO(member), status: .created, location: "/api/v1/projects/\(id)/members/\(member.userID)")
    }

    func member(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let member = try await members.member(
            context.claim, of: try context.pathID("id", .project),
            userID: try context.pathID("user_id", .projectMember))
        return try Responses.read(MemberDTO(member), for: request)
    }

    func changeMember(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let id: ProjectID = try context.pathID("id", .project)
        let userID: UserID = try context.pathID("user_id", .projectMember)
        let body = try await JSONBody.read(request, context: context.request)
        let member = try await members.changeRole(
            context.claim, in: id, userID: userID, precondition: Preconditions.ifMatch(request)
        ) { try WorkspaceRequests.role(body, as: ProjectRole.self) }
        return try Responses.tagged(MemberDTO(member))
    }

    func removeMember(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try await members.removeMember(
            context.claim, from: try context.pathID("id", .project),
            userID: try context.pathID("user_id", .projectMember), precondition: Preconditions.ifMatch(request))
        return Responses.noContent()
    }
}
