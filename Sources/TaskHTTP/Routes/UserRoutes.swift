import Hummingbird
import TaskCore

/// `/api/v1/users/*`: the caller's own account, and the system administrator's user routes.
extension RouteBuilder {
    mutating func addUserRoutes(_ services: TaskdServices) {
        authenticated(.get, "/api/v1/users/me") { _, context in
            try Responses.json(UserDTO(try await services.accounts.me(try context.requireCaller())))
        }

        authenticated(.patch, "/api/v1/users/me") { request, context in
            var body = try await JSONBody.read(request, context: context)
            let name = body.nonNull("name", body.string("name"))
            let email = body.nonNull("email", body.string("email"))
            try body.finish(alongWith: AccountService.profileErrors(name: body.value(name), email: body.value(email)))
            let user = try await services.accounts.updateMe(
                try context.requireCaller(), name: body.value(name), email: body.value(email))
            return try Responses.json(UserDTO(user))
        }

        authenticated(.post, "/api/v1/users/me/password") { request, context in
            var body = try await JSONBody.read(request, context: context)
            let current = body.requiredString("current_password")
            let new = body.requiredString("new_password")
            try body.finish(alongWith: PasswordRules.errors(new, field: "new_password"))
            try await services.accounts.changePassword(try context.requireCaller(), current: current, new: new)
            return Responses.noContent()
        }

        authenticated(.get, "/api/v1/users") { request, context in
            var query = QueryReader(request.uri.query)
            let page = query.page()
            try query.finish()
            let users = try await services.admin.users(try context.requireCaller(), page: page ?? .first)
            return try Responses.page(users, UserDTO.init)
        }

        authenticated(.get, "/api/v1/users/{id}") { _, context in
            let caller = try context.requireAdministrator()
            let user = try await services.admin.user(caller, id: try context.pathID("id", .user))
            return try Responses.json(UserDTO(user))
        }

        authenticated(.patch, "/api/v1/users/{id}") { request, context in
            let caller = try context.requireAdministrator()
            let id: UserID = try context.pathID("id", .user)
            var body = try await JSONBody.read(request, context: context)
            let name = body.nonNull("name", body.string("name"))
            let isAdmin = body.nonNull("is_admin", body.bool("is_admin"))
            let isDisabled = body.nonNull("disabled", body.bool("disabled"))
            try body.finish(alongWith: AccountService.profileErrors(name: body.value(name), email: nil))
            let user = try await services.admin.updateUser(
                caller, id: id, name: body.value(name), isAdmin: body.value(isAdmin), isDisabled: body.value(isDisabled))
            return try Responses.json(UserDTO(user))
        }

        authenticated(.delete, "/api/v1/users/{id}") { _, context in
            let caller = try context.requireAdministrator()
            try await services.admin.deleteUser(caller, id: try context.pathID("id", .user))
            return Responses.noContent()
        }
    }
}

extension TaskRequestContext {
    /// The caller, when `AccessPolicy` lets them administer users; checked before the path is read, so that
    /// everyone else gets 403 whatever the id. - Throws: `.forbidden`.
    func requireAdministrator() throws -> Caller {
        let caller = try requireCaller()
        guard AccessPolicy.canAdministerUsers(caller) else { throw DomainError.forbidden }
        return caller
    }
}
