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
            .claimed(.get, "/api/v1/users", list),
            .claimed(.get, "/api/v1/users/{id}", read),
            .claimed(.patch, "/api/v1/users/{id}", change),
            .claimed(.delete, "/api/v1/users/{id}", delete),
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

    func list(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let page = try await context.administratorFirst { try QueryReader.page(request.uri.query) }
        return try Responses.page(try await admin.users(context.claim, page: page), UserDTO.init)
    }

    func read(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let id: UserID = try await context.administratorFirst { try context.pathID("id", .user) }
        return try Responses.read(UserDTO(try await admin.user(context.claim, id: id)), for: request)
    }

    func change(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let (id, body, precondition) = try await context.administratorFirst {
            let id: UserID = try context.pathID("id", .user)
            return (id, try await JSONBody.read(request, context: context.request), Preconditions.ifMatch(request))
        }
        let user = try await admin.updateUser(context.claim, id: id, precondition: precondition) {
            let change = try AccountRequests.userChange(body)
            return (change.name, change.isAdmin, change.isDisabled)
        }
        return try Responses.tagged(UserDTO(user))
    }

    func delete(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let (id, precondition) = try await context.administratorFirst {
            let id: UserID = try context.pathID("id", .user)
            return (id, Preconditions.ifMatch(request))
        }
        try await admin.deleteUser(context.claim, id: id, precondition: precondition)
        return Responses.noContent()
    }
}
