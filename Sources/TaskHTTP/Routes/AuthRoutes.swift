import Foundation
import Hummingbird
import TaskCore

/// `/api/v1/auth/*`: register (and its `signup` alias), login (JSON or OAuth2 form), refresh, logout.
extension RouteBuilder {
    mutating func addAuthRoutes(_ services: TaskdServices, configuration: HTTPConfiguration) {
        let register: RouteHandler = { request, context in
            var body = try await JSONBody.read(request, context: context)
            let email = body.requiredString("email")
            let password = body.requiredString("password")
            var name = body.string("name")
            if !name.isSet, request.uri.path.hasSuffix("/signup") { name = body.string("username") }
            let nameText = body.required("name", name) ?? ""
            try body.finish(alongWith: AccountService.registrationErrors(email: email, password: password, name: nameText))
            let address = ClientAddress.resolve(request, context, trustedProxies: configuration.trustedProxies)
            let user = try await services.accounts.register(
                email: email, password: password, name: nameText, clientAddress: address)
            return try Responses.created(UserDTO(user), location: "/api/v1/users/me")
        }
        open(.post, "/api/v1/auth/register", register)
        open(.post, "/api/v1/auth/signup", register)

        open(.post, "/api/v1/auth/login") { request, context in
            let (email, password) = try await Self.credentials(request, context)
            let address = ClientAddress.resolve(request, context, trustedProxies: configuration.trustedProxies)
            let pair = try await services.sessions.login(email: email, password: password, clientAddress: address)
            return try Responses.json(TokenDTO(pair), headers: [.cacheControl: "no-store"])
        }

        open(.post, "/api/v1/auth/refresh") { request, context in
            var body = try await JSONBody.read(request, context: context)
            let token = body.requiredString("refresh_token")
            try body.finish()
            let pair = try await services.sessions.refresh(token)
            return try Responses.json(TokenDTO(pair), headers: [.cacheControl: "no-store"])
        }

        authenticated(.post, "/api/v1/auth/logout") { request, context in
            var body = try await JSONBody.read(request, context: context)
            let token = body.requiredString("refresh_token")
            try body.finish()
            try await services.sessions.logout(try context.requireCaller(), refreshToken: token)
            return Responses.noContent()
        }
    }

    /// Email and password from a JSON body, or from an OAuth2 password-flow form (`username`, `password`).
    static func credentials(_ request: Request, _ context: TaskRequestContext) async throws -> (String, String) {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            var form = QueryReader(String(decoding: buffer.readableBytesView, as: UTF8.self))
            let username = form.string("username")
            let password = form.string("password")
            if username == nil { form.add(FieldError(field: "username", message: "is required")) }
            if password == nil { form.add(FieldError(field: "password", message: "is required")) }
            try form.finish()
            return (username ?? "", password ?? "")
        }
        var body = try await JSONBody.read(request, context: context)
        let email = body.requiredString("email")
        let password = body.requiredString("password")
        try body.finish()
        return (email, password)
    }
}

/// Where a request comes from, for the per-address login limit.
enum ClientAddress {
    /// The peer's address, or, when the peer is a trusted proxy, the last address in `X-Forwarded-For` that is
    /// not itself a trusted proxy.
    static func resolve(_ request: Request, _ context: TaskRequestContext, trustedProxies: Set<String>) -> String? {
        guard let peer = context.peerAddress else { return nil }
        guard trustedProxies.contains(peer), let forwarded = request.headers[.forwardedFor] else { return peer }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last(where: { !trustedProxies.contains($0) }) ?? peer
    }
}
