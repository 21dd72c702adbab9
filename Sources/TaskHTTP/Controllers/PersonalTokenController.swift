import Hummingbird
import TaskCore

/// `/api/v1/users/me/tokens/*`: the caller's personal access tokens; and `/api/v1/users/{id}/tokens/*`: anyone's,
/// for a system administrator. No personal access token reaches these routes (`TokenRouteRules`).
struct PersonalTokenController: Sendable {
    let personalTokens: PersonalTokenService

    var routes: [Route] {
        [
            .claimed(.post, "/api/v1/users/me/tokens", create),
            .claimed(.get, "/api/v1/users/me/tokens", list),
            .claimed(.get, "/api/v1/users/me/tokens/{id}", read),
            .claimed(.delete, "/api/v1/users/me/tokens/{id}", revoke),
            .claimed(.get, "/api/v1/users/{id}/tokens", listOfUser),
            .claimed(.delete, "/api/v1/users/{id}/tokens/{token_id}", revokeOfUser),
        ]
    }

    func create(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let input = try PersonalTokenRequests.newToken(try await JSONBody.read(request, context: context.request))
        let issued = try await personalTokens.create(context.claim, input)
        return try Responses.tagged(
            PersonalTokenSecretDTO(issued), status: .created, location: "/api/v1/users/me/tokens/\(issued.record.id)")
    }

    func list(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let page = try QueryReader.page(request.uri.query)
        return try Responses.page(try await personalTokens.tokens(context.claim, page: page), PersonalTokenDTO.init)
    }

    func read(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let token = try await personalTokens.token(context.claim, id: try context.pathID("id", .token))
        return try Responses.read(PersonalTokenDTO(token), for: request)
    }

    func revoke(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try await personalTokens.revoke(
            context.claim, id: try context.pathID("id", .token), precondition: Preconditions.ifMatch(request))
        return Responses.noContent()
    }

    func listOfUser(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let (page, userID) = try await context.administratorFirst {
            let userID: UserID = try context.pathID("id", .user)
            return (try QueryReader.page(request.uri.query), userID)
        }
        let tokens = try await personalTokens.tokens(of: userID, by: context.claim, page: page)
        return try Responses.page(tokens, PersonalTokenDTO.init)
    }

    func revokeOfUser(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let (tokenID, userID) = try await context.administratorFirst {
            let tokenID: PersonalTokenID = try context.pathID("token_id", .token)
            let userID: UserID = try context.pathID("id", .user)
            return (tokenID, userID)
        }
        try await personalTokens.revoke(
            tokenID, of: userID, by: context.claim, precondition: Preconditions.ifMatch(request))
        return Responses.noContent()
    }
}
