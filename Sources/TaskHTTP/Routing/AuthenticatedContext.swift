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

extension TaskRequestContext {
    /// The path parameter `name` as an id. - Throws: `.notFound(kind)` when it is not a UUID.
    func pathID<Kind>(_ name: String, _ kind: ResourceKind, as _: Kind.Type = Kind.self) throws -> Identifier<Kind> {
        guard let text = parameters.get(name), let id = Identifier<Kind>(text) else { throw DomainError.notFound(kind) }
        return id
    }
}
