import Hummingbird
import TaskCore

/// `/api/v1/projects/*`: projects and their members.
extension RouteBuilder {
    mutating func addProjectRoutes(_ services: TaskdServices) {
        authenticated(.post, "/api/v1/projects") { request, context in
            var body = try await JSONBody.read(request, context: context)
            let workspaceID = body.required("workspace_id", body.id("workspace_id", as: IDKind.Workspace.self))
            let name = body.requiredString("name")
            let description = body.optional(body.string("description"))
            let visibility = body.optional(body.choice("visibility", as: ProjectVisibility.self))
            try body.finish(alongWith: NewProject.fieldErrors(name: name, description: description))
            guard let workspaceID else { throw DomainError.invalid("workspace_id", "is required") }
            let project = try await services.projects.create(
                try context.requireCaller(),
                NewProject(workspaceID: workspaceID, name: name, description: description, visibility: visibility))
            return try Responses.created(ProjectDTO(project), location: "/api/v1/projects/\(project.id)")
        }

        authenticated(.get, "/api/v1/projects") { request, context in
            var query = QueryReader(request.uri.query)
            let workspaceID = query.id("workspace_id", as: IDKind.Workspace.self)
            let archived = query.bool("archived")
            let page = query.page()
            try query.finish()
            let projects = try await services.projects.projects(
                try context.requireCaller(), workspaceID: workspaceID, isArchived: archived, page: page ?? .first)
            return try Responses.page(projects, ProjectDTO.init)
        }

        authenticated(.get, "/api/v1/projects/{id}") { _, context in
            let project = try await services.projects.project(try context.requireCaller(), id: try context.pathID("id", .project))
            return try Responses.json(ProjectDTO(project))
        }

        authenticated(.patch, "/api/v1/projects/{id}") { request, context in
            let id: ProjectID = try context.pathID("id", .project)
            var body = try await JSONBody.read(request, context: context)
            let patch = ProjectPatch(
                name: body.nonNull("name", body.string("name")), description: body.string("description"),
                visibility: body.nonNull("visibility", body.choice("visibility")),
                isArchived: body.nonNull("archived", body.bool("archived")))
            try body.finish(alongWith: patch.fieldErrors)
            return try Responses.json(ProjectDTO(try await services.projects.update(try context.requireCaller(), id: id, patch)))
        }

        authenticated(.delete, "/api/v1/projects/{id}") { _, context in
            try await services.projects.delete(try context.requireCaller(), id: try context.pathID("id", .project))
            return Responses.noContent()
        }

        authenticated(.get, "/api/v1/projects/{id}/members") { request, context in
            let id: ProjectID = try context.pathID("id", .project)
            var query = QueryReader(request.uri.query)
            let page = query.page()
            try query.finish()
            let members = try await services.projectMembers.members(try context.requireCaller(), of: id, page: page ?? .first)
            return try Responses.page(members, MemberDTO.init)
        }

        authenticated(.post, "/api/v1/projects/{id}/members") { request, context in
            let id: ProjectID = try context.pathID("id", .project)
            var body = try await JSONBody.read(request, context: context)
            let userID = body.required("user_id", body.id("user_id", as: IDKind.User.self))
            let role = body.optional(body.choice("role", as: ProjectRole.self))
            try body.finish()
            guard let userID else { throw DomainError.invalid("user_id", "is required") }
            let member = try await services.projectMembers.addMember(try context.requireCaller(), to: id, userID: userID, role: role)
            return try Responses.created(MemberDTO(member), location: "/api/v1/projects/\(id)/members/\(member.userID)")
        }

        authenticated(.get, "/api/v1/projects/{id}/members/{user_id}") { _, context in
            let member = try await services.projectMembers.member(
                try context.requireCaller(), of: try context.pathID("id", .project),
                userID: try context.pathID("user_id", .projectMember))
            return try Responses.json(MemberDTO(member))
        }

        authenticated(.patch, "/api/v1/projects/{id}/members/{user_id}") { request, context in
            let id: ProjectID = try context.pathID("id", .project)
            let userID: UserID = try context.pathID("user_id", .projectMember)
            var body = try await JSONBody.read(request, context: context)
            let role = body.required("role", body.choice("role", as: ProjectRole.self))
            try body.finish()
            let member = try await services.projectMembers.changeRole(
                try context.requireCaller(), in: id, userID: userID, to: role ?? .viewer)
            return try Responses.json(MemberDTO(member))
        }

        authenticated(.delete, "/api/v1/projects/{id}/members/{user_id}") { _, context in
            try await services.projectMembers.removeMember(
                try context.requireCaller(), from: try context.pathID("id", .project),
                userID: try context.pathID("user_id", .projectMember))
            return Responses.noContent()
        }
    }
}
