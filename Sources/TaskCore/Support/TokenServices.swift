import Foundation

/// Signs access tokens; implemented by TaskAuth with JWTs.
public protocol AccessTokenIssuer: Sendable {
    /// How long a new access token is valid.
    var lifetime: Duration { get }
    /// A signed access token for `userID`, issued at `issuedAt`.
    func issueAccessToken(for userID: UserID, issuedAt: Date) async throws -> String
}

/// Checks access tokens a client presents; implemented by TaskAuth with JWTs. The adapter that reads a bearer
/// token depends on this protocol, not on the implementation.
public protocol AccessTokenVerifier: Sendable {
    /// What an acceptable token says.
    /// - Throws: `DomainError.unauthenticated` for any token that is not acceptable.
    func verify(_ token: String) async throws -> VerifiedAccessToken
}

/// Makes refresh tokens and their digests; implemented by TaskAuth.
public protocol RefreshTokenMinter: Sendable {
    /// A new token of 256 random bits (as text) and the digest to store.
    func mint() -> (token: String, digest: String)
    /// The digest of a token a client presents.
    func digest(of token: String) -> String
}

/// An access token whose signature, algorithm, issuer and times were verified: who it names and when it was
/// issued. Whether that user may still use it is `SessionService.caller(for:)`'s decision.
public struct VerifiedAccessToken: Sendable, Equatable {
    /// The user the token names (`sub`).
    public var userID: UserID
    /// When it was issued (`iat`).
    public var issuedAt: Date
    /// When it expires (`exp`); `nil` for a token that does not.
    public var expiresAt: Date?

    /// Creates a verified token.
    public init(userID: UserID, issuedAt: Date, expiresAt: Date? = nil) {
        self.userID = userID
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }
}

/// What a successful login or refresh returns.
public struct TokenPair: Sendable, Equatable {
    /// The signed access token.
    public var accessToken: String
    /// Seconds until the access token expires.
    public var expiresIn: Int
    /// The refresh token (shown once; only its digest is stored).
    public var refreshToken: String

    /// Creates a pair.
    public init(accessToken: String, expiresIn: Int, refreshToken: String) {
        self.accessToken = accessToken
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
    }
}

/// Makes personal access tokens and their digests; implemented by TaskAuth. The token's shape (marker, random
/// part, checksum) is `PersonalTokenText`'s.
public protocol PersonalTokenMinter: Sendable {
    /// A new token (`tdp_…`, shown once) and the digest to store.
    func mint() -> (token: String, digest: String)
    /// The digest of a token a client presents.
    func digest(of token: String) -> String
}

extension VerifiedAccessToken {
    /// The caller this token stands for, given its user's row as read now: the one rule behind every check of an
    /// access token against its user, whether the row was read on its own or with the resource.
    /// - Throws: `.unauthenticated` when the user is gone or disabled, or the token was issued before the user's
    ///   last password change.
    public func caller(from user: User?) throws -> Caller {
        guard let user, !user.isDisabled, user.accepts(tokenIssuedAt: issuedAt) else {
            throw DomainError.unauthenticated
        }
        return Caller(user)
    }
}
