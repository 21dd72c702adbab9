import Hummingbird
import TaskCore

/// `/api/v1/workspaces/*`: workspaces and their members.
extension RouteBuilder {
    mutating func addWorkspaceRoutes(_ services: TaskdServices) {
        authenticated(.post, "/api/v1/workspaces") { request, context in
            var body = try await JSONBody.read(request, context: context)
            let name = body.requiredString("name")
            try body.finish()
            let workspace = try await services.workspaces.create(try context.requireCaller(), name: name)
            return try Responses.created(WorkspaceDTO(workspace), location: "/api/v1/workspaces/\(workspace.workspace.id)")
        }

        authenticated(.get, "/api/v1/workspaces") { request, context in
            var query = QueryReader(request.uri.query)
            let page = query.page()
            try query.finish()
            let list = try await services.workspaces.workspaces(try context.requireCaller(), page: page ?? .first)
            return try Responses.page(list, WorkspaceDTO.init)
        }

        authenticated(.get, "/api/v1/workspaces/{id}") { _, context in
            let workspace = try await services.workspaces.workspace(try context.requireCaller(), id: try context.pathID("id", .workspace))
            return try Responses.json(WorkspaceDTO(workspace))
        }

        authenticated(.patch, "/api/v1/workspaces/{id}") { request, context in
            let id: WorkspaceID = try context.pathID("id", .workspace)
            var body = try await JSONBody.read(request, context: context)
            let name = body.nonNull("name", body.string("name"))
            try body.finish()
            let workspace = try await services.workspaces.rename(try context.requireCaller(), id: id, name: body.value(name))
            return try Responses.json(WorkspaceDTO(workspace))
        }

        authenticated(.delete, "/api/v1/workspaces/{id}") { _, context in
            try await services.workspaces.delete(try context.requireCaller(), id: try context.pathID("id", .workspace))
            return Responses.noContent()
        }

        authenticated(.get, "/api/v1/workspaces/{id}/members") { request, context in
            let id: WorkspaceID = try context.pathID("id", .workspace)
            var query = QueryReader(request.uri.query)
            let page = query.page()
            try query.finish()
            let members = try await services.workspaces.members(try context.requireCaller(), of: id, page: page ?? .first)
            return try Responses.page(members, MemberDTO.init)
        }

        authenticated(.post, "/api/v1/workspaces/{id}/members") { request, context in
            let id: WorkspaceID = try context.pathID("id", .workspace)
            var body = try await JSONBody.read(request, context: context)
            let email = body.requiredString("email")
            let role = body.optional(body.choice("role", as: WorkspaceRole.self))
            try body.finish(alongWith: EmailAddress.errors(of: email))
            let member = try await services.workspaces.addMember(try context.requireCaller(), to: id, email: email, role: role)
            return try Responses.created(MemberDTO(member), location: "/api/v1/workspaces/\(id)/members/\(member.userID)")
        }

        authenticated(.get, "/api/v1/workspaces/{id}/members/{user_id}") { _, context in
            let member = try await services.workspaces.member(
                try context.requireCaller(), of: try context.pathID("id", .workspace), userID: try context.pathID("user_id", .member))
            return try Responses.json(MemberDTO(member))
        }

        authenticated(.patch, "/api/v1/workspaces/{id}/members/{user_id}") { request, context in
            let id: WorkspaceID = try context.pathID("id", .workspace)
            let userID: UserID = try context.pathID("user_id", .member)
            var body = try await JSONBody.read(request, context: context)
            let role = body.required("role", body.choice("role", as: WorkspaceRole.self))
            try body.finish()
            let member = try await services.workspaces.changeRole(try context.requireCaller(), in: id, userID: userID, to: role ?? .member)
            return try Responses.json(MemberDTO(member))
        }

        authenticated(.delete, "/api/v1/workspaces/{id}/members/{user_id}") { _, context in
            try await services.workspaces.removeMember(
                try context.requireCaller(), from: try context.pathID("id", .workspace), userID: try context.pathID("user_id", .member))
            return Responses.noContent()
        }
    }
}
