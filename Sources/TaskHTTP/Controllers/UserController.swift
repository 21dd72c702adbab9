import Hummingbird
import TaskCore

/// `/api/v1/users/*`: the caller's own account, and the system administrator's user routes.
struct UserController: Sendable {
    let accounts: AccountService
    let admin: UserAdministration

    var routes: [Route] {
        [
            .claimed(.get, "/api/v1/users/me", me),
            .claimed(.patch, "/api/v1/users/me", changeMe),
            .claimed(.post, "/api/v1/users/me/password", changePassword),
            .authenticated(.get, "/api/v1/users", list),
            .authenticated(.get, "/api/v1/users/{id}", read),
            .authenticated(.patch, "/api/v1/users/{id}", change),
            .authenticated(.delete, "/api/v1/users/{id}", delete),
        ]
    }

    func me(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try Responses.read(UserDTO(try await accounts.me(context.claim)), for: request)
    }

    func changeMe(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let body = try await JSONBody.read(request, context: context.request)
        let user = try await accounts.updateMe(context.claim, precondition: Preconditions.ifMatch(request)) {
            let change = try AccountRequests.profileChange(body)
            return (change.name, change.email)
        }
        return try Responses.tagged(UserDTO(user))
    }

    func changePassword(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let change = try AccountRequests.passwordChange(try await JSONBody.read(request, context: context.request))
        try await accounts.changePassword(context.claim, current: change.current, new: change.new)
        return Responses.noContent()
    }

    func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try admin.authorize(context.caller)
        let users = try await admin.users(context.caller, page: try QueryReader.page(request.uri.query))
        return try Responses.page(users, UserDTO.init)
    }

    // The administrator check comes before the path and the body are read: everyone else gets 403 whatever the id.

    func read(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try admin.authorize(context.caller)
        return try Responses.read(
            UserDTO(try await admin.user(context.caller, id: try context.pathID("id", .user))), for: request)
    }

    func change(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try admin.authorize(context.caller)
        let id: UserID = try context.pathID("id", .user)
        let body = try await JSONBody.read(request, context: context.request)
        let user = try await admin.updateUser(context.caller, id: id, precondition: Preconditions.ifMatch(request)) {
            let change = try AccountRequests.userChange(body)
            return (change.name, change.isAdmin, change.isDisabled)
        }
        return try Responses.tagged(UserDTO(user))
    }

    func delete(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try admin.authorize(context.caller)
        try await admin.deleteUser(
            context.caller, id: try context.pathID("id", .user), precondition: Preconditions.ifMatch(request))
        return Responses.noContent()
    }
}
