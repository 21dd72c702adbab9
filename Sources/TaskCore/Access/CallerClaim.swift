/// Who a request says its caller is. A `Caller` is a claim already checked against its user; a
/// `VerifiedAccessToken` or a `PersonalTokenClaim` is one whose user's row (and token's row) is still to be read,
/// and a use case reads it together with the first record it reads (one statement on PostgreSQL instead of two).
///
/// A use case that takes a claim gets a `Caller` only through the look-ups that check it (`caller(for:)`,
/// `claimedTask`, `claimedProject`), so it cannot act for a user who may no longer use the credential.
public protocol CallerClaim: Sendable {
    /// How the store finds the claim's user.
    var identity: ClaimIdentity { get }
    /// The caller, when the claim needs no read of its user's row; `nil` when it does.
    var checkedCaller: Caller? { get }
    /// The caller the claim stands for, given what the store read for `identity` now: the user's row and, for a
    /// personal access token, the token's.
    /// - Throws: `.unauthenticated` when the user may not use the credential; for a personal access token, what its
    ///   grant says of the route (`.insufficientScope`, `.forbidden`).
    func caller(from user: User?, token: PersonalAccessToken?) throws -> Caller
}

/// How a store finds the user a claim names: by the user's id, or through a personal access token's digest.
public enum ClaimIdentity: Sendable, Equatable {
    /// The user with this id.
    case user(UserID)
    /// The user of the personal access token this look-up finds.
    case personalToken(PersonalTokenLookup)

    /// The user's id, when the claim names it.
    public var userID: UserID? {
        if case .user(let id) = self { id } else { nil }
    }
}

extension Caller: CallerClaim {
    /// The caller's id.
    public var identity: ClaimIdentity { .user(id) }
    /// The caller itself.
    public var checkedCaller: Caller? { self }
    /// The caller itself: it was checked when it was made.
    public func caller(from user: User?, token: PersonalAccessToken?) throws -> Caller { self }
}

extension VerifiedAccessToken: CallerClaim {
    /// The token's user.
    public var identity: ClaimIdentity { .user(userID) }
    /// `nil`: the token's user is still to be read.
    public var checkedCaller: Caller? { nil }
    /// `caller(from:)`: an access token has no row of its own.
    public func caller(from user: User?, token: PersonalAccessToken?) throws -> Caller { try caller(from: user) }
}
