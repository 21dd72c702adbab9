import Foundation

/// What finds a presented personal access token in the store: its digest, and the moment of the request, which
/// decides whether it has expired and whether its `last_used_at` is written again (see
/// `PersonalTokenStore.personalTokenCredential`).
public struct PersonalTokenLookup: Sendable, Equatable {
    /// The digest of the token as presented.
    public var digest: String
    /// The moment of the request.
    public var at: Date
    /// `last_used_at` is written when it is older than this (or unset).
    public var touchingBefore: Date

    /// Creates the look-up.
    public init(digest: String, at: Date, touchingBefore: Date) {
        self.digest = digest
        self.at = at
        self.touchingBefore = touchingBefore
    }

    /// The caller the token authenticates, given the token and the user the store found for `digest`: the one
    /// rule behind every check of a personal access token, whether it was read on its own or with a record.
    /// - Throws: `.unauthenticated` for an unknown, expired or revoked token, one made before its user's last
    ///   password change (or disabling), and one whose user is disabled or deleted.
    public func caller(token: PersonalAccessToken?, user: User?) throws -> TokenCaller {
        guard let token, let user, ConstantTime.isEqual(token.digest, digest), token.expiresAt > at,
            !user.isDisabled, user.accepts(tokenIssuedAt: token.createdAt)
        else { throw DomainError.unauthenticated }
        return TokenCaller(caller: Caller(user, grant: token.grant), expiresAt: token.expiresAt)
    }
}

/// A presented personal access token for one route, its shape checked and its digest computed, not looked up
/// yet: the use case reads the token and its user together with the first record it reads, and only then checks
/// the token and what its grant says of the route (the route alone decides that, whatever the record).
public struct PersonalTokenClaim: CallerClaim {
    /// How the store finds the token.
    public let lookup: PersonalTokenLookup
    /// What the route asks of a token.
    public let rule: TokenRouteRule

    /// Creates the claim; `PersonalTokenService.claim(presenting:for:)` makes it from a presented token.
    public init(lookup: PersonalTokenLookup, rule: TokenRouteRule) {
        self.lookup = lookup
        self.rule = rule
    }

    /// The token's digest.
    public var identity: ClaimIdentity { .personalToken(lookup) }
    /// `nil`: the token and its user are still to be read.
    public var checkedCaller: Caller? { nil }

    /// The token's caller, once the token is valid and its grant admits the route.
    /// - Throws: `.unauthenticated` (see `PersonalTokenLookup.caller(token:user:)`), then `.insufficientScope` or
    ///   `.forbidden` (see `TokenGrant.authorize`).
    public func caller(from user: User?, token: PersonalAccessToken?) throws -> Caller {
        let caller = try lookup.caller(token: token, user: user).caller
        try caller.grant?.authorize(rule)
        return caller
    }
}
