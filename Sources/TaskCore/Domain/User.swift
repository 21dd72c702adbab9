import Foundation

/// A registered account. The password hash never leaves TaskCore's use cases and stores.
public struct User: Sendable, Equatable, Codable {
    /// The user's id.
    public var id: UserID
    /// The unique, lower-cased email address.
    public var email: EmailAddress
    /// The display name (1...200 characters, trimmed).
    public var name: String
    /// A hash in crypt(3) form (`$2b$12$...`).
    public var passwordHash: String
    /// Whether the user is a system administrator.
    public var isAdmin: Bool
    /// Whether the account is disabled: it can neither log in nor use its tokens.
    public var isDisabled: Bool
    /// The workspace made at registration, where tasks without a workspace go.
    public var personalWorkspaceID: WorkspaceID?
    /// When the password was last set; tokens issued before it are refused.
    public var passwordChangedAt: Date
    /// When an administrator last disabled the account; tokens issued before it are refused, so that enabling it
    /// again does not bring them back.
    public var sessionsRevokedAt: Date?
    /// When the account was created.
    public var createdAt: Date
    /// When the account last changed.
    public var updatedAt: Date

    /// 1 when created, one more after each change that changes something; its `ETag` is made from it.
    public var version: Int

    /// Creates a user value.
    public init(
        id: UserID, email: EmailAddress, name: String, passwordHash: String, isAdmin: Bool = false,
        isDisabled: Bool = false, personalWorkspaceID: WorkspaceID? = nil, passwordChangedAt: Date,
        sessionsRevokedAt: Date? = nil, createdAt: Date, updatedAt: Date, version: Int = 1
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.isAdmin = isAdmin
        self.isDisabled = isDisabled
        self.personalWorkspaceID = personalWorkspaceID
        self.passwordChangedAt = passwordChangedAt
        self.sessionsRevokedAt = sessionsRevokedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

extension User {
    /// Tokens (access and refresh) issued before this instant are refused: the later of the last password change
    /// and the last time the account was disabled.
    public var tokensValidFrom: Date {
        guard let sessionsRevokedAt, sessionsRevokedAt > passwordChangedAt else { return passwordChangedAt }
        return sessionsRevokedAt
    }

    /// Whether a token issued at `issuedAt` may still be used (compared in whole milliseconds, as stored).
    public func accepts(tokenIssuedAt issuedAt: Date) -> Bool {
        issuedAt.millisecondsSince1970 >= tokensValidFrom.millisecondsSince1970
    }
}

/// The authenticated user on whose behalf a use case runs.
public struct Caller: Sendable, Equatable {
    /// The user's id.
    public var id: UserID
    /// Whether the user is a system administrator, who acts as an owner of every workspace.
    public var isSystemAdmin: Bool
    /// What the caller's personal access token allows, or `nil` when the caller signed in with an access token.
    public var grant: TokenGrant?

    /// Creates a caller.
    public init(id: UserID, isSystemAdmin: Bool = false, grant: TokenGrant? = nil) {
        self.id = id
        self.isSystemAdmin = isSystemAdmin
        self.grant = grant
    }

    /// The caller acting as `user`, with `grant` when a personal access token authenticated the request.
    public init(_ user: User, grant: TokenGrant? = nil) {
        self.init(id: user.id, isSystemAdmin: user.isAdmin, grant: grant)
    }
}
