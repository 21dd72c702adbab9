import Hummingbird
import TaskCore

/// The context of a route that needs a caller: the request's own context and the caller, who is always there, so a
/// handler never checks again.
struct AuthenticatedContext: Sendable {
    /// The request's context: path parameters, request id, peer address.
    let request: TaskRequestContext
    /// The authenticated caller.
    let caller: Caller
    /// The token the caller sent; a long-lived answer (an event stream) ends when it stops being valid.
    let credential: Credential

    /// The path parameter `name` as an id. - Throws: `.notFound(kind)` when it is not a UUID.
    func pathID<Kind>(_ name: String, _ kind: ResourceKind, as _: Kind.Type = Kind.self) throws -> Identifier<Kind> {
        try request.pathID(name, kind)
    }
}

/// The context of a read whose caller is checked together with the resource: the credential is verified, but for
/// an access token its user's row is read by the use case, in the same statement as the resource
/// (`TaskService.task(_:id:)` with a `VerifiedAccessToken`).
struct ClaimedContext: Sendable {
    /// Who the credential says the caller is.
    enum Identity: Sendable {
        /// A verified access token whose user has not been read yet.
        case accessToken(VerifiedAccessToken)
        /// A caller already resolved: a personal access token's look-up reads its user anyway.
        case caller(Caller)
    }

    /// The request's context: path parameters, request id, peer address.
    let request: TaskRequestContext
    /// Who the credential says the caller is.
    let identity: Identity
    let authenticator: Authenticator

    /// The caller, with an access token's user read on its own: for the answers given before any read of the
    /// resource (a malformed id), which must still be `401` for a credential whose user may not use it.
    func caller() async throws -> Caller {
        switch identity {
        case .accessToken(let token): try await authenticator.caller(for: .accessToken(token)).0
        case .caller(let caller): caller
        }
    }
}

extension TaskRequestContext {
    /// The path parameter `name` as an id. - Throws: `.notFound(kind)` when it is not a UUID.
    func pathID<Kind>(_ name: String, _ kind: ResourceKind, as _: Kind.Type = Kind.self) throws -> Identifier<Kind> {
        guard let text = parameters.get(name), let id = Identifier<Kind>(text) else { throw DomainError.notFound(kind) }
        return id
    }
}
