import Foundation

/// Logging in, refreshing and logging out, and turning a verified access token into a caller.
public struct SessionService: Sendable {
    let store: any DataStore
    let accounts: AccountService
    let accessTokens: any AccessTokenIssuer
    let refreshTokens: any RefreshTokenMinter
    let now: Now
    /// The per-email limit.
    public var emailThrottle = LoginThrottle.perEmail
    /// The per-client-address limit.
    public var addressThrottle = LoginThrottle.perAddress
    /// How long a refresh token lives.
    public var refreshLifetime: Duration = .seconds(30 * 24 * 3600)

    /// Creates the service.
    public init(
        store: any DataStore, accounts: AccountService, accessTokens: any AccessTokenIssuer,
        refreshTokens: any RefreshTokenMinter, now: @escaping Now
    ) {
        self.store = store
        self.accounts = accounts
        self.accessTokens = accessTokens
        self.refreshTokens = refreshTokens
        self.now = now
    }

    /// Checks the credentials and returns a new token pair.
    ///
    /// Attempts are counted per email and per client address before the password is checked (`AttemptLimiter`),
    /// so parallel guesses cannot slip past the limit; past it every attempt is refused with `tooManyAttempts`
    /// until the window passes. A success clears the email's count and forgets its own attempt by address.
    /// - Throws: `.validation` naming `email` for an email with a NUL character or longer than any address can
    ///   be; `.invalidCredentials` (the same for an unknown email and a wrong password); `.tooManyAttempts`.
    public func login(email: String, password: String, clientAddress: String?) async throws -> TokenPair {
        let normalized = try Self.loginKeyEmail(email)
        let emailKey = AttemptLimiter.Key(name: "email:" + normalized, throttle: emailThrottle)
        let addressKey = clientAddress.map {
            AttemptLimiter.Key(name: "address:" + $0.prefix(64), throttle: addressThrottle)
        }
        let limiter = AttemptLimiter(store: store)
        let at = now()
        try await limiter.reserve([emailKey] + (addressKey.map { [$0] } ?? []), at: at)

        let user: User
        do {
            user = try await accounts.authenticate(email: email, password: password)
        } catch DomainError.invalidCredentials {
            throw DomainError.invalidCredentials
        } catch {
            // Not a guess (the store failed): the attempt does not count.
            try? await limiter.forget(emailKey, at: at)
            if let addressKey { try? await limiter.forget(addressKey, at: at) }
            throw error
        }
        try await store.transaction { tx in
            try await tx.clearLoginFailures(key: emailKey.name)
            if let addressKey { try await tx.deleteLoginFailure(key: addressKey.name, at: at) }
        }
        return try await issuePair(for: user.id)
    }

    /// The email as the login limit counts it: trimmed and lower-cased.
    /// - Throws: `.validation` naming `email` when it holds a NUL or is longer than any address (254
    ///   characters), so that no unbounded key reaches the store's index.
    static func loginKeyEmail(_ email: String) throws -> String {
        var errors = FieldErrors()
        _ = TextRules.trimmed(email, field: "email", length: 0...FieldLimits.email.upperBound, into: &errors)
        try errors.throwIfAny()
        return email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Spends a refresh token and returns a new pair. Presenting a spent token revokes every refresh token of
    /// its user, since it was stolen or replayed.
    /// - Throws: `.unauthenticated` for an unknown, expired or spent token, a disabled user, or a token issued
    ///   before the user's last password change or disabling.
    public func refresh(_ token: String) async throws -> TokenPair {
        let digest = refreshTokens.digest(of: token)
        let at = now()
        let outcome = try await store.transaction { tx -> RefreshOutcome in
            guard let record = try await tx.refreshToken(digest: digest), record.expiresAt > at,
                let user = try await tx.user(record.userID), !user.isDisabled,
                user.accepts(tokenIssuedAt: record.issuedAt)
            else { return .refused }
            guard try await tx.spendRefreshToken(digest: digest, at: at) else {
                try await tx.revokeRefreshTokens(of: record.userID, at: at)
                return .refused
            }
            return .spent(record.userID)
        }
        guard case .spent(let userID) = outcome else { throw DomainError.unauthenticated }
        let user = try await accounts.activeUser(userID)
        return try await issuePair(for: user.id)
    }

    /// Spends the caller's refresh token; unknown tokens and other users' tokens are left alone.
    public func logout(_ caller: Caller, refreshToken token: String) async throws {
        let digest = refreshTokens.digest(of: token)
        let at = now()
        try await store.transaction { tx in
            guard let record = try await tx.refreshToken(digest: digest), record.userID == caller.id else { return }
            _ = try await tx.spendRefreshToken(digest: digest, at: at)
        }
    }

    /// The caller behind a verified access token.
    /// - Throws: `.unauthenticated` when the user is gone or disabled, or the token was issued before the
    ///   user's last password change.
    public func caller(for token: VerifiedAccessToken) async throws -> Caller {
        try token.caller(from: try await store.transaction { tx in try await tx.user(token.userID) })
    }

    /// Deletes expired refresh tokens and counted attempts that no window reads any more.
    public func removeExpiredRecords() async throws {
        let at = now()
        let throttles =
            [emailThrottle, addressThrottle, accounts.passwordChangeThrottle]
            + (accounts.registrationThrottle.map { [$0] } ?? [])
        let oldest = throttles.map { $0.windowStart(at: at) }.min() ?? at
        try await store.transaction { tx in
            try await tx.deleteRefreshTokens(expiredBefore: at)
            try await tx.deleteLoginFailures(before: oldest)
        }
    }

    private func issuePair(for userID: UserID) async throws -> TokenPair {
        let at = now()
        let access = try await accessTokens.issueAccessToken(for: userID, issuedAt: at)
        let (refresh, digest) = refreshTokens.mint()
        let record = RefreshTokenRecord(
            digest: digest, userID: userID, issuedAt: at, expiresAt: at.addingTimeInterval(refreshLifetime.seconds))
        try await store.transaction { tx in try await tx.insertRefreshToken(record) }
        return TokenPair(accessToken: access, expiresIn: Int(accessTokens.lifetime.seconds), refreshToken: refresh)
    }

    private enum RefreshOutcome: Sendable {
        case spent(UserID)
        case refused
    }
}
