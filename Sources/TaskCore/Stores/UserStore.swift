/// Users, inside a transaction.
public protocol UserStore: Sendable {
    /// The user with `id`, or `nil`.
    func user(_ id: UserID) async throws -> User?
    /// The user with `id`, or `nil`, locked until the transaction ends: a read-modify-write of a user reads it
    /// this way, so that two changes of one user apply one after the other and neither undoes the other.
    func lockUser(_ id: UserID) async throws -> User?
    /// The user with this (normalised) email, or `nil`.
    func user(email: EmailAddress) async throws -> User?
    /// Stores a new user. - Throws: `DomainError.conflict(.emailTaken)` when the email is in use.
    func insertUser(_ user: User) async throws
    /// Replaces a stored user. - Throws: `.conflict(.emailTaken)` when the new email is in use; `.notFound(.user)`
    /// when the user is gone.
    func updateUser(_ user: User) async throws
    /// Deletes a user with their workspace and project memberships; tasks and comments keep their ids.
    func deleteUser(_ id: UserID) async throws
    /// Users ordered by `(createdAt, id)`, strictly after `after`, at most `limit`.
    func users(after: PagePosition?, limit: Int) async throws -> [User]
}
