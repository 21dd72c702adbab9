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

/// The context of a route whose use case checks the caller together with the first record it reads: the
/// credential is verified, but an access token's user is read by the use case, in the same statement as the
/// record (see `CallerClaim`). The router still answers `401` before anything else for a credential whose user may
/// not use it: when the handler fails, it checks the caller on its own first.
struct ClaimedContext: Sendable {
    /// The request's context: path parameters, request id, peer address.
    let request: TaskRequestContext
    /// Who the credential says the caller is: a verified access token whose user has not been read yet, or a
    /// personal access token not looked up yet (`PersonalTokenClaim`), or a caller checked already.
    let claim: any CallerClaim
    /// Checks the credential's caller on its own, and gives the credential with it (`caller()`, `authenticated()`).
    private let check: @Sendable () async throws -> (Caller, Credential)

    /// The context of a route whose caller was checked already.
    init(_ authenticated: AuthenticatedContext) {
        let checked = (authenticated.caller, authenticated.credential)
        self.init(request: authenticated.request, claim: checked.0) { checked }
    }

    /// The context of a request whose credential `claim` stands for; `check` reads its caller on its own.
    init(
        request: TaskRequestContext, claim: any CallerClaim,
        check: @escaping @Sendable () async throws -> (Caller, Credential)
    ) {
        self.request = request
        self.claim = claim
        self.check = check
    }

    /// The caller, with an access token's user read on its own: for answers given without the use case's read
    /// (a replayed answer, a failure before the read), which must still be `401` for a credential whose user may
    /// not use it.
    func caller() async throws -> Caller {
        if let caller = claim.checkedCaller { return caller }
        return try await check().0
    }

    /// The caller checked on its own with the credential that authenticated it, for an answer that outlives the
    /// request's first read (an event stream, which ends when the credential stops being valid).
    func authenticated() async throws -> AuthenticatedContext {
        let (caller, credential) = try await check()
        return AuthenticatedContext(request: request, caller: caller, credential: credential)
    }

    /// The claim's user's id and the context to go on with: when the claim names the user by id, itself; when it
    /// does not (a personal access token), the caller is checked first and the context holds the checked caller.
    /// - Throws: what `caller()` throws.
    func identifiedUser() async throws -> (UserID, ClaimedContext) {
        if let userID = claim.identity.userID { return (userID, self) }
        let checked = try await check()
        return (checked.0.id, ClaimedContext(request: request, claim: checked.0) { checked })
    }

    /// The path parameter `name` as an id. - Throws: `.notFound(kind)` when it is not a UUID.
    func pathID<Kind>(_ name: String, _ kind: ResourceKind, as _: Kind.Type = Kind.self) throws -> Identifier<Kind> {
        try request.pathID(name, kind)
    }

    /// What `read` reads of the request (its path, query, body or `If-Match`) on a system administrator's route.
    /// When that fails, the caller is checked first: everyone but a system administrator gets `403` whatever else
    /// is wrong with the request, as if the administrator check came before the request was read.
    func administratorFirst<Value>(_ read: () async throws -> Value) async throws -> Value {
        do {
            return try await read()
        } catch {
            guard AccessPolicy.canAdministerUsers(try await caller()) else { throw DomainError.forbidden }
            throw error
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
