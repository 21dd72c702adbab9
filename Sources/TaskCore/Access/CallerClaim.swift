/// Who a request says its caller is. A `Caller` is a claim already checked against its user; a
/// `VerifiedAccessToken` is one whose user's row is still to be read, and a use case reads it together with the
/// first record it reads (one statement on PostgreSQL instead of two).
///
/// A use case that takes a claim gets a `Caller` only through the look-ups that check it (`caller(for:)`,
/// `claimedTask`, `claimedProject`), so it cannot act for a user who may no longer use the credential.
public protocol CallerClaim: Sendable {
    /// The user the claim names.
    var claimedUserID: UserID { get }
    /// The caller, when the claim needs no read of its user's row; `nil` when it does.
    var checkedCaller: Caller? { get }
    /// The caller the claim stands for, given its user's row as read now.
    /// - Throws: `.unauthenticated` when the user may not use the credential.
    func caller(from user: User?) throws -> Caller
}

extension Caller: CallerClaim {
    /// The caller's id.
    public var claimedUserID: UserID { id }
    /// The caller itself.
    public var checkedCaller: Caller? { self }
    /// The caller itself: it was checked when it was made.
    public func caller(from user: User?) throws -> Caller { self }
}

extension VerifiedAccessToken: CallerClaim {
    /// The token's user.
    public var claimedUserID: UserID { userID }
    /// `nil`: the token's user is still to be read.
    public var checkedCaller: Caller? { nil }
}
