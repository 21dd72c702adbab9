import Foundation

/// Refresh tokens and failed logins, inside a transaction. Both live in the store so that every taskd process
/// sharing one database sees the same sessions and the same login limits.
public protocol SessionStore: Sendable {
    /// Stores a new refresh token (only its digest).
    func insertRefreshToken(_ token: RefreshTokenRecord) async throws
    /// The refresh token with this digest, or `nil`.
    func refreshToken(digest: String) async throws -> RefreshTokenRecord?
    /// Marks the token spent at `at` if it was not spent yet; returns whether this call spent it (exactly one of
    /// several concurrent calls does).
    func spendRefreshToken(digest: String, at: Date) async throws -> Bool
    /// Marks every unspent refresh token of a user spent.
    func revokeRefreshTokens(of userID: UserID, at: Date) async throws
    /// Deletes refresh tokens that expired before `before`.
    func deleteRefreshTokens(expiredBefore before: Date) async throws

    /// Holds `key`'s lock until the transaction ends, so that attempts under one key are counted one after the
    /// other, also across taskd processes.
    func lockAttempts(key: String) async throws
    /// Records one failed attempt under `key` (an email, a client address, a user's password).
    func recordLoginFailure(key: String, at: Date) async throws
    /// Deletes one attempt recorded under `key` at `at`, if there is one.
    func deleteLoginFailure(key: String, at: Date) async throws
    /// The instants of the failed logins under `key` at or after `since`, oldest first.
    func loginFailures(key: String, since: Date) async throws -> [Date]
    /// Forgets the failed logins under `key`.
    func clearLoginFailures(key: String) async throws
    /// Forgets failed logins older than `before`.
    func deleteLoginFailures(before: Date) async throws
}

/// A stored refresh token: the SHA-256 digest of the token, never the token itself.
public struct RefreshTokenRecord: Sendable, Equatable {
    /// Hex SHA-256 of the token.
    public var digest: String
    /// Whose token it is.
    public var userID: UserID
    /// When it was issued.
    public var issuedAt: Date
    /// When it stops working.
    public var expiresAt: Date
    /// When it was used, revoked or logged out; `nil` while usable.
    public var spentAt: Date?

    /// Creates a record.
    public init(digest: String, userID: UserID, issuedAt: Date, expiresAt: Date, spentAt: Date? = nil) {
        self.digest = digest
        self.userID = userID
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.spentAt = spentAt
    }
}
