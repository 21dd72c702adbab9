import Foundation
import Hummingbird
import TaskCore

/// `/api/v1/auth/*`: register (and its `signup` alias), login (JSON or OAuth2 form), refresh, logout.
struct AuthController: Sendable {
    let accounts: AccountService
    let sessions: SessionService
    let trustedProxies: Set<String>

    var routes: [Route] {
        [
            .open(.post, "/api/v1/auth/register", register),
            .open(.post, "/api/v1/auth/signup", register),
            .open(.post, "/api/v1/auth/login", login),
            .open(.post, "/api/v1/auth/refresh", refresh),
            .authenticated(.post, "/api/v1/auth/logout", logout),
        ]
    }

    func register(_ request: Request, _ context: TaskRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, context: context)
        let registration = try AuthRequests.registration(body, acceptsUsername: request.uri.path.hasSuffix("/signup"))
        let address = ClientAddress.resolve(request, context, trustedProxies: trustedProxies)
        let user = try await accounts.register(
            email: registration.email, password: registration.password, name: registration.name, clientAddress: address)
        return try Responses.tagged(UserDTO(user), status: .created, location: "/api/v1/users/me")
    }

    func login(_ request: Request, _ context: TaskRequestContext) async throws -> Response {
        let credentials = try await Self.credentials(request, context)
        let address = ClientAddress.resolve(request, context, trustedProxies: trustedProxies)
        let pair = try await sessions.login(
            email: credentials.email, password: credentials.password, clientAddress: address)
        return try Responses.json(TokenDTO(pair), headers: [.cacheControl: "no-store"])
    }

    func refresh(_ request: Request, _ context: TaskRequestContext) async throws -> Response {
        let token = try AuthRequests.refreshToken(try await JSONBody.read(request, context: context))
        let pair = try await sessions.refresh(token)
        return try Responses.json(TokenDTO(pair), headers: [.cacheControl: "no-store"])
    }

    func logout(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let token = try AuthRequests.refreshToken(try await JSONBody.read(request, context: context.request))
        try await sessions.logout(context.caller, refreshToken: token)
        return Responses.noContent()
    }

    /// Email and password from a JSON body, or from an OAuth2 password-flow form (`username`, `password`).
    static func credentials(_ request: Request, _ context: TaskRequestContext) async throws -> AuthRequests.Credentials
    {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            return try AuthRequests.credentials(form: String(decoding: buffer.readableBytesView, as: UTF8.self))
        }
        return try AuthRequests.credentials(try await JSONBody.read(request, context: context))
    }
}

/// Where a request comes from, for the per-address limits.
enum ClientAddress {
    /// The peer's address, or, when the peer is a trusted proxy, the last address in `X-Forwarded-For` that is
    /// not itself a trusted proxy.
    static func resolve(_ request: Request, _ context: TaskRequestContext, trustedProxies: Set<String>) -> String? {
        guard let peer = context.peerAddress else { return nil }
        guard trustedProxies.contains(peer), let forwarded = request.headers[.forwardedFor] else { return peer }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        return hops.last(where: { !trustedProxies.contains($0) }) ?? peer
    }
}
