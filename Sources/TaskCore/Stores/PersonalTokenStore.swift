import Foundation

/// Personal access tokens, inside a transaction. A token is found by its digest through a unique index; a revoked
/// token is deleted.
public protocol PersonalTokenStore: Sendable {
    /// Stores a new token.
    func insertPersonalToken(_ token: PersonalAccessToken) async throws
    /// A user's token, if it exists.
    func personalToken(_ id: PersonalTokenID, of userID: UserID) async throws -> PersonalAccessToken?
    /// Like `personalToken`, locking the row until the transaction ends.
    func lockPersonalToken(_ id: PersonalTokenID, of userID: UserID) async throws -> PersonalAccessToken?
    /// Deletes a token (revokes it at once).
    func deletePersonalToken(_ id: PersonalTokenID) async throws
    /// A user's tokens, oldest first, strictly after `after` (`created_at`, `id`), at most `limit`.
    func personalTokens(of userID: UserID, after: PagePosition?, limit: Int) async throws -> [PersonalAccessToken]
    /// How many of a user's tokens expire after `at`.
    func unexpiredPersonalTokenCount(of userID: UserID, at: Date) async throws -> Int
    /// The token with the look-up's digest and its user, or `nil`. In the same round trip, when the token has not
    /// expired at the look-up's `at` and was last used before its `touchingBefore` (or never), its `last_used_at`
    /// becomes `at`; the answer shows the value after that. Concurrent calls write it at most once.
    func personalTokenCredential(_ lookup: PersonalTokenLookup) async throws -> (
        PersonalAccessToken, User
    )?
    /// Deletes tokens that expired before `before`.
    func deletePersonalTokens(expiredBefore before: Date) async throws
}
