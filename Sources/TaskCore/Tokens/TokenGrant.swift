/// What a request authenticated with a personal access token may do: its scopes and, when the token was narrowed,
/// the workspaces it reaches. A caller with no grant signed in with an access token and may do all its user may.
public struct TokenGrant: Sendable, Equatable {
    /// The token's scopes.
    public var scopes: Set<TokenScope>
    /// The workspaces the token reaches, or `nil` for every workspace its user belongs to.
    public var workspaceIDs: Set<WorkspaceID>?

    /// Creates a grant.
    public init(scopes: Set<TokenScope>, workspaceIDs: Set<WorkspaceID>? = nil) {
        self.scopes = scopes
        self.workspaceIDs = workspaceIDs
    }

    /// Checks that the grant admits a route whose rule is `rule`, from the rule alone: nothing is read, so the
    /// answer never depends on whether the resource exists.
    /// - Throws: `.insufficientScope` naming the scope the route needs; `.forbidden` for a route no token reaches
    ///   (token management, password and email changes, administration).
    public func authorize(_ rule: TokenRouteRule) throws {
        switch rule {
        case .open:
            return
        case .needs(let scope):
            guard scopes.contains(scope) else { throw DomainError.insufficientScope(scope) }
        case .sessionOnly:
            throw DomainError.forbidden
        }
    }

    /// Whether the grant reaches `workspaceID`.
    public func reaches(_ workspaceID: WorkspaceID) -> Bool {
        workspaceIDs?.contains(workspaceID) ?? true
    }
}

extension Caller {
    /// Whether the caller reaches `workspaceID`: always with an access token; with a personal access token, when the
    /// token is not narrowed or names it. A workspace out of reach is treated as one the user does not belong to.
    public func reaches(_ workspaceID: WorkspaceID) -> Bool {
        grant?.reaches(workspaceID) ?? true
    }

    /// Whether the caller signed in with an access token (not a personal access token): only such a caller manages
    /// tokens, changes the password or email, or administers users.
    public var hasSession: Bool { grant == nil }
}
