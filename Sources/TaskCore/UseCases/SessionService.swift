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
    /// Failures are counted per email and per client address; past a limit every attempt is refused with
    /// `tooManyAttempts` until the window passes. A success clears the email's count.
    /// - Throws: `.invalidCredentials` (the same for an unknown email and a wrong password), `.tooManyAttempts`.
    public func login(email: String, password: String, clientAddress: String?) async throws -> TokenPair {
        let emailKey = "email:" + email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let addressKey = clientAddress.map { "address:" + $0 }
        let at = now()
        let emailThrottle = emailThrottle
        let addressThrottle = addressThrottle
        let wait = try await store.transaction { tx -> Int? in
            let byEmail = try await tx.loginFailures(key: emailKey, since: emailThrottle.windowStart(at: at))
            if let wait = emailThrottle.retryAfter(failures: byEmail, at: at) { return wait }
            guard let addressKey else { return nil }
            let byAddress = try await tx.loginFailures(key: addressKey, since: addressThrottle.windowStart(at: at))
            return addressThrottle.retryAfter(failures: byAddress, at: at)
        }
        if let wait { throw DomainError.tooManyAttempts(retryAfterSeconds: wait) }

        let user: User
        do {
            user = try await accounts.authenticate(email: email, password: password)
        } catch DomainError.invalidCredentials {
            try await store.transaction { tx in
                try await tx.recordLoginFailure(key: emailKey, at: at)
                if let addressKey { try await tx.recordLoginFailure(key: addressKey, at: at) }
            }
            throw DomainError.invalidCredentials
        }
        try await store.transaction { tx in try await tx.clearLoginFailures(key: emailKey) }
        return try await issuePair(for: user.id)
    }

    /// Spends a refresh token and returns a new pair. Presenting a spent token revokes every refresh token of
    /// its user, since it was stolen or replayed.
    /// - Throws: `.unauthenticated` for an unknown, expired or spent token, or a disabled user.
    public func refresh(_ token: String) async throws -> TokenPair {
        let digest = refreshTokens.digest(of: token)
        let at = now()
        let outcome = try await store.transaction { tx -> RefreshOutcome in
            guard let record = try await tx.refreshToken(digest: digest), record.expiresAt > at else { return .refused }
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
        let user = try await accounts.activeUser(token.userID)
        guard token.issuedAt.millisecondsSince1970 >= user.passwordChangedAt.millisecondsSince1970 else {
            throw DomainError.unauthenticated
        }
        return Caller(user)
    }

    /// Deletes expired refresh tokens and failed logins that no window reads any more.
    public func removeExpiredRecords() async throws {
        let at = now()
        let oldest = min(emailThrottle.windowStart(at: at), addressThrottle.windowStart(at: at))
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
