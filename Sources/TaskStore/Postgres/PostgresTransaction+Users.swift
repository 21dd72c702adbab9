import Foundation
import PostgresNIO
import TaskCore

extension PostgresTransaction {
    func user(_ id: UserID) async throws -> User? {
        try await rows(UserByIDStatement(id: id.uuid)).first
    }

    func lockUser(_ id: UserID) async throws -> User? {
        try await lockedRows(
            "SELECT \(unescaped: PostgresRows.userColumns) FROM users WHERE id = \(id.uuid) FOR UPDATE",
            PostgresRows.user
        )
        .first
    }

    func user(email: EmailAddress) async throws -> User? {
        try await rows(
            "SELECT \(unescaped: PostgresRows.userColumns) FROM users WHERE email = \(email.value)", PostgresRows.user
        )
        .first
    }

    func insertUser(_ user: User) async throws {
        try await execute(
            """
            INSERT INTO users (id, email, name, password_hash, is_admin, is_disabled, personal_workspace_id,
                               password_changed_at, sessions_revoked_at, created_at, updated_at, version)
            VALUES (\(user.id.uuid), \(user.email.value), \(user.name), \(user.passwordHash), \(user.isAdmin),
                    \(user.isDisabled), \(user.personalWorkspaceID?.uuid), \(user.passwordChangedAt.bound),
                    \(user.sessionsRevokedAt.bound), \(user.createdAt.bound), \(user.updatedAt.bound),
                    \(Int32(clamping: user.version)))
            """)
    }

    func updateUser(_ user: User) async throws {
        let changed = try await changedRows(
            """
            UPDATE users SET email = \(user.email.value), name = \(user.name), password_hash = \(user.passwordHash),
                is_admin = \(user.isAdmin), is_disabled = \(user.isDisabled),
                personal_workspace_id = \(user.personalWorkspaceID?.uuid),
                password_changed_at = \(user.passwordChangedAt.bound),
                sessions_revoked_at = \(user.sessionsRevokedAt.bound), updated_at = \(user.updatedAt.bound),
                version = \(Int32(clamping: user.version))
            WHERE id = \(user.id.uuid)
            """)
        if changed == 0 { throw DomainError.notFound(.user) }
    }

    func deleteUser(_ id: UserID) async throws {
        try await execute("DELETE FROM users WHERE id = \(id.uuid)")
    }

    func users(after: PagePosition?, limit: Int) async throws -> [User] {
        var builder = SQLBuilder("SELECT \(PostgresRows.userColumns) FROM users WHERE TRUE")
        builder.appendAfter(after, dateColumn: "created_at", idColumn: "id")
        builder.append(" ORDER BY created_at, id LIMIT \(builder.bind(limit))")
        return try await rows(builder.query, PostgresRows.user)
    }

    /// With a user id, that user and the user with `id` in one statement (no claimed user, no row; no such user,
    /// null columns for it). A personal access token, which no administrator's route takes, is read as the
    /// credential it is, then the user.
    func user(_ id: UserID, claimedBy identity: ClaimIdentity) async throws -> ClaimedAccess<User> {
        try await claimedUser(id, claimedBy: identity, locking: false)
    }

    /// `user(_:claimedBy:)` with the row of the user with `id` locked.
    func lockUser(_ id: UserID, claimedBy identity: ClaimIdentity) async throws -> ClaimedAccess<User> {
        try await claimedUser(id, claimedBy: identity, locking: true)
    }

    /// The two above: the other user is read in a `LATERAL` subquery, which can lock its row (the nullable side of
    /// an outer join cannot be locked).
    private func claimedUser(_ id: UserID, claimedBy identity: ClaimIdentity, locking: Bool) async throws
        -> ClaimedAccess<User>
    {
        guard case .user(let userID) = identity else {
            return try await throughPersonalToken(identity) { _ in try await locking ? lockUser(id) : user(id) }
        }
        let query: PostgresQuery = """
            SELECT \(unescaped: PostgresRows.userColumns(as: "c")), \(unescaped: PostgresRows.userColumns(as: "o"))
            FROM users c LEFT JOIN LATERAL (
                SELECT \(unescaped: PostgresRows.userColumns) FROM users
                WHERE id = \(id.uuid)\(unescaped: locking ? " FOR UPDATE" : "")
            ) o ON true
            WHERE c.id = \(userID.uuid)
            """
        return PostgresClaimedRows.one(
            try await locking ? lockedRows(query, Self.userWithUser) : rows(query, Self.userWithUser))
    }

    /// With a user id, that user and the page of `users(after:limit:)` in one statement: the claimed user drives
    /// it, so no such user means no row, and an empty page one row whose other columns are null.
    func users(claimedBy identity: ClaimIdentity, after: PagePosition?, limit: Int) async throws
        -> ClaimedAccess<[User]>
    {
        guard case .user(let userID) = identity else {
            return try await throughPersonalToken(identity) { _ in try await users(after: after, limit: limit) }
        }
        var builder = SQLBuilder(
            "SELECT \(PostgresRows.userColumns(as: "c")), \(PostgresRows.userColumns(as: "o"))"
                + " FROM users c LEFT JOIN LATERAL (SELECT \(PostgresRows.userColumns) FROM users WHERE TRUE")
        builder.appendAfter(after, dateColumn: "created_at", idColumn: "id")
        builder.append(" ORDER BY created_at, id LIMIT \(builder.bind(limit))")
        builder.append(") o ON true WHERE c.id = \(builder.bind(userID.uuid)) ORDER BY o.created_at, o.id")
        return PostgresClaimedRows.page(try await rows(builder.query, Self.userWithUser))
    }

    /// A row of a user's columns followed by another user's, whose columns are null when there was none.
    private static func userWithUser(_ row: PostgresRow) throws -> (User, User?) {
        try PostgresClaimedRows.userWith(row) { cells, offset in try PostgresRows.user(cells, from: offset) }
    }
}

/// A user by id, prepared: every authenticated request reads its caller with it.
struct UserByIDStatement: PostgresPreparedStatement {
    static let sql = "SELECT \(PostgresRows.userColumns) FROM users WHERE id = $1"
    static let bindingDataTypes: [PostgresDataType] = [.uuid]

    var id: UUID

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> User {
        try PostgresRows.user(row)
    }
}
