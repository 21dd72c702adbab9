import Foundation

/// The fields of a new personal access token as the client sent them; `PersonalTokenService.create` checks them.
public struct NewPersonalToken: Sendable, Equatable {
    /// The name (1...200 characters after trimming).
    public var name: String
    /// The scope names (`read`, `tasks:write`, …); at least one.
    public var scopes: [String]
    /// When it stops working: required, in the future, at most 366 days away.
    public var expiresAt: Date?
    /// The ids of the workspaces it reaches, or `nil` for all of the user's.
    public var workspaceIDs: [String]?

    /// Creates the input.
    public init(name: String, scopes: [String], expiresAt: Date?, workspaceIDs: [String]? = nil) {
        self.name = name
        self.scopes = scopes
        self.expiresAt = expiresAt
        self.workspaceIDs = workspaceIDs
    }
}

/// A token just made: its stored form and the token itself, which is shown in this answer only.
public struct IssuedPersonalToken: Sendable, Equatable {
    /// What is stored.
    public var record: PersonalAccessToken
    /// The token (`tdp_…`).
    public var token: String
}

/// A request authenticated with a personal access token: the caller (with the token's grant) and when the token
/// expires, where a long-lived answer (an event stream) must end.
public struct TokenCaller: Sendable, Equatable {
    /// The caller, acting with the token's grant.
    public var caller: Caller
    /// When the token expires.
    public var expiresAt: Date
}
