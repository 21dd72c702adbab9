import Foundation

/// A personal access token as stored: never the token itself, only its SHA-256 and its first characters.
public struct PersonalAccessToken: Sendable, Equatable {
    /// The token's id.
    public var id: PersonalTokenID
    /// Whose token it is.
    public var userID: UserID
    /// What the user calls it (1...200 characters, trimmed).
    public var name: String
    /// The token's first 8 characters, shown so that the user can tell tokens apart.
    public var prefix: String
    /// Hex SHA-256 of the token.
    public var digest: String
    /// What it may do.
    public var scopes: Set<TokenScope>
    /// The workspaces it reaches, or `nil` for all of its user's.
    public var workspaceIDs: Set<WorkspaceID>?
    /// When it was created; a password change after this instant ends it.
    public var createdAt: Date
    /// When it stops working.
    public var expiresAt: Date
    /// When it last authenticated a request, to the minute: written at most once a minute.
    public var lastUsedAt: Date?
    /// 1 when created; a token never changes, so it stays 1 (`last_used_at` is bookkeeping, not a change).
    public var version: Int

    /// Creates a token value.
    public init(
        id: PersonalTokenID, userID: UserID, name: String, prefix: String, digest: String, scopes: Set<TokenScope>,
        workspaceIDs: Set<WorkspaceID>?, createdAt: Date, expiresAt: Date, lastUsedAt: Date? = nil, version: Int = 1
    ) {
        self.id = id
        self.userID = userID
        self.name = name
        self.prefix = prefix
        self.digest = digest
        self.scopes = scopes
        self.workspaceIDs = workspaceIDs
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.version = version
    }

    /// What a request authenticated with this token may do.
    public var grant: TokenGrant { TokenGrant(scopes: scopes, workspaceIDs: workspaceIDs) }
}
