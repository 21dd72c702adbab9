import Foundation
import PostgresNIO
import TaskCore

extension PostgresTransaction {
    func insertPersonalToken(_ token: PersonalAccessToken) async throws {
        try await execute(
            """
            INSERT INTO personal_access_tokens (id, user_id, name, prefix, digest, scopes, workspace_ids, created_at,
                expires_at, last_used_at, version)
            VALUES (\(token.id.uuid), \(token.userID.uuid), \(token.name), \(token.prefix), \(token.digest),
                \(token.scopes.sorted().map(\.rawValue)), \(token.workspaceIDs.map { $0.map(\.uuid) }),
                \(token.createdAt.bound), \(token.expiresAt.bound), \(token.lastUsedAt?.bound),
                \(Int32(clamping: token.version)))
            """)
    }

    func personalToken(_ id: PersonalTokenID, of userID: UserID) async throws -> PersonalAccessToken? {
        try await rows(
            """
            SELECT \(unescaped: PostgresRows.personalTokenColumns) FROM personal_access_tokens
            WHERE id = \(id.uuid) AND user_id = \(userID.uuid)
            """, PostgresRows.personalToken
        ).first
    }

    func lockPersonalToken(_ id: PersonalTokenID, of userID: UserID) async throws -> PersonalAccessToken? {
        try await lockedRows(
            """
            SELECT \(unescaped: PostgresRows.personalTokenColumns) FROM personal_access_tokens
            WHERE id = \(id.uuid) AND user_id = \(userID.uuid) FOR UPDATE
            """, PostgresRows.personalToken
        ).first
    }

    func deletePersonalToken(_ id: PersonalTokenID) async throws {
        try await execute("DELETE FROM personal_access_tokens WHERE id = \(id.uuid)")
    }

    func personalTokens(of userID: UserID, after: PagePosition?, limit: Int) async throws -> [PersonalAccessToken] {
        var builder = SQLBuilder("SELECT \(PostgresRows.personalTokenColumns) FROM personal_access_tokens")
        builder.append(" WHERE user_id = \(builder.bind(userID.uuid))")
        builder.appendAfter(after, dateColumn: "created_at", idColumn: "id")
        builder.append(" ORDER BY created_at, id LIMIT \(builder.bind(limit))")
        return try await rows(builder.query, PostgresRows.personalToken)
    }

    /// With a user id, the user and the page of `personalTokens(of:after:limit:)` in one statement: the user drives
    /// it, so no user means no row, and a user without tokens (on this page) gets one row whose token columns are
    /// null. A personal access token, which may not list tokens, is read as the credential it is, then the page.
    func personalTokens(claimedBy identity: ClaimIdentity, after: PagePosition?, limit: Int) async throws
        -> ClaimedAccess<[PersonalAccessToken]>
    {
        guard case .user(let userID) = identity else {
            return try await throughPersonalToken(identity) {
                try await personalTokens(of: $0.id, after: after, limit: limit)
            }
        }
        var builder = SQLBuilder(
            "SELECT \(PostgresRows.userColumns(as: "u")), \(PostgresRows.qualified(PostgresRows.personalTokenColumns, as: "t"))"
        )
        builder.append(" FROM users u LEFT JOIN LATERAL (")
        builder.append("SELECT \(PostgresRows.personalTokenColumns) FROM personal_access_tokens WHERE user_id = u.id")
        builder.appendAfter(after, dateColumn: "created_at", idColumn: "id")
        builder.append(" ORDER BY created_at, id LIMIT \(builder.bind(limit))")
        builder.append(") t ON true WHERE u.id = \(builder.bind(userID.uuid)) ORDER BY t.created_at, t.id")
        return PostgresClaimedRows.page(try await rows(builder.query, Self.userWithToken))
    }

    /// With a user id, the user and the user's token with `id` in one statement (no user, no row; no such token,
    /// null token columns). A personal access token, which may not read tokens, is read as the credential it is,
    /// then the token.
    func personalToken(_ id: PersonalTokenID, claimedBy identity: ClaimIdentity) async throws
        -> ClaimedAccess<PersonalAccessToken>
    {
        try await claimedToken(id, of: nil, claimedBy: identity, locking: false)
    }

    /// `personalToken(_:claimedBy:)` with the token row locked.
    func lockPersonalToken(_ id: PersonalTokenID, claimedBy identity: ClaimIdentity) async throws
        -> ClaimedAccess<PersonalAccessToken>
    {
        try await claimedToken(id, of: nil, claimedBy: identity, locking: true)
    }

    /// With a user id, that user and the token with `id` of the user with `owner`, locked, in one statement.
    func lockPersonalToken(_ id: PersonalTokenID, of owner: UserID, claimedBy identity: ClaimIdentity) async throws
        -> ClaimedAccess<PersonalAccessToken>
    {
        try await claimedToken(id, of: owner, claimedBy: identity, locking: true)
    }

    /// The three above: the token of `owner` (`nil`: of the claimed user) is read in a `LATERAL` subquery, which
    /// can lock it (the nullable side of an outer join cannot be locked).
    private func claimedToken(
        _ id: PersonalTokenID, of owner: UserID?, claimedBy identity: ClaimIdentity, locking: Bool
    ) async throws -> ClaimedAccess<PersonalAccessToken> {
        guard case .user(let userID) = identity else {
            return try await throughPersonalToken(identity) { user in
                let ownerID = owner ?? user.id
                return try await locking ? lockPersonalToken(id, of: ownerID) : personalToken(id, of: ownerID)
            }
        }
        let query: PostgresQuery = """
            SELECT \(unescaped: PostgresRows.userColumns(as: "u")),
                \(unescaped: PostgresRows.qualified(PostgresRows.personalTokenColumns, as: "t"))
            FROM users u LEFT JOIN LATERAL (
                SELECT \(unescaped: PostgresRows.personalTokenColumns) FROM personal_access_tokens
                WHERE id = \(id.uuid) AND user_id = \((owner ?? userID).uuid)\(unescaped: locking ? " FOR UPDATE" : "")
            ) t ON true
            WHERE u.id = \(userID.uuid)
            """
        return PostgresClaimedRows.one(
            try await locking ? lockedRows(query, Self.userWithToken) : rows(query, Self.userWithToken))
    }

    /// With a user id, that user, whether the user with `owner` exists and the page of `personalTokens(of:after:limit:)`
    /// of `owner` in one statement: no claimed user, no row; no such owner, one row with a false `exists`; an
    /// owner without tokens (on this page), one row whose token columns are null.
    func personalTokens(of owner: UserID, claimedBy identity: ClaimIdentity, after: PagePosition?, limit: Int)
        async throws -> ClaimedAccess<[PersonalAccessToken]>
    {
        guard case .user(let userID) = identity else {
            return try await throughPersonalToken(identity) { _ in
                guard try await user(owner) != nil else { return nil }
                return try await personalTokens(of: owner, after: after, limit: limit)
            }
        }
        var builder = SQLBuilder(
            "SELECT \(PostgresRows.userColumns(as: "u")), o.id IS NOT NULL,"
                + " \(PostgresRows.qualified(PostgresRows.personalTokenColumns, as: "t"))"
        )
        builder.append(" FROM users u LEFT JOIN users o ON o.id = \(builder.bind(owner.uuid)) LEFT JOIN LATERAL (")
        builder.append("SELECT \(PostgresRows.personalTokenColumns) FROM personal_access_tokens WHERE user_id = o.id")
        builder.appendAfter(after, dateColumn: "created_at", idColumn: "id")
        builder.append(" ORDER BY created_at, id LIMIT \(builder.bind(limit))")
        builder.append(") t ON true WHERE u.id = \(builder.bind(userID.uuid)) ORDER BY t.created_at, t.id")
        let found = try await rows(builder.query) { row -> ((User, PersonalAccessToken?), Bool) in
            let exists = try PostgresRandomAccessRow(row)[PostgresRows.userColumnCount].decode(Bool.self)
            return (
                try PostgresClaimedRows.userWith(row, recordAt: PostgresRows.userColumnCount + 1, Self.token), exists
            )
        }
        let claimed = PostgresClaimedRows.page(found.map(\.0))
        return found.first?.1 == false ? ClaimedAccess(user: claimed.user, facts: nil) : claimed
    }

    /// A row of a user's columns followed by a token's, whose columns are null when there was no such token.
    private static func userWithToken(_ row: PostgresRow) throws -> (User, PersonalAccessToken?) {
        try PostgresClaimedRows.userWith(row, token)
    }

    private static func token(_ cells: PostgresRandomAccessRow, _ offset: Int) throws -> PersonalAccessToken {
        try PostgresRows.personalToken(cells, from: offset)
    }

    func unexpiredPersonalTokenCount(of userID: UserID, at: Date) async throws -> Int {
        let counts = try await rows(
            """
            SELECT count(*) FROM personal_access_tokens WHERE user_id = \(userID.uuid) AND expires_at > \(at.bound)
            """
        ) { row in try row.decode(Int64.self) }
        return Int(counts.first ?? 0)
    }

    func personalTokenCredential(_ lookup: PersonalTokenLookup) async throws -> (PersonalAccessToken, User)? {
        try await rows(PersonalTokenCredentialStatement(lookup: lookup)).first
    }

    /// A claimed read for a claim that is not a user's id: the personal access token it names and its user, read as
    /// the credential they are, then `facts` for the user. Each claimed read gives a claim by id one statement;
    /// this is the rest.
    func throughPersonalToken<Facts>(_ identity: ClaimIdentity, _ facts: (User) async throws -> Facts?)
        async throws -> ClaimedAccess<Facts>
    {
        guard case .personalToken(let lookup) = identity, let (token, user) = try await personalTokenCredential(lookup)
        else { return ClaimedAccess(user: nil, facts: nil) }
        return ClaimedAccess(user: user, token: token, facts: try await facts(user))
    }

    func deletePersonalTokens(expiredBefore before: Date) async throws {
        try await execute("DELETE FROM personal_access_tokens WHERE expires_at < \(before.bound)")
    }
}

/// A presented token and its user, in the one round trip that authenticating a request may cost (as many as an
/// access token's user look-up), with the token's `last_used_at` written when due (`PostgresRows.touchedToken`).
struct PersonalTokenCredentialStatement: PostgresPreparedStatement {
    static let sql = """
        WITH \(PostgresRows.touchedToken(digest: "$1", at: "$2", touchingBefore: "$3"))
        SELECT \(PostgresRows.presentedTokenColumns(as: "t")), \(PostgresRows.userColumns(as: "u"))
        FROM personal_access_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.digest = $1
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .timestamptz, .timestamptz]

    var lookup: PersonalTokenLookup

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(lookup)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> (PersonalAccessToken, User) {
        let cells = row.makeRandomAccess()
        let token = try PostgresRows.personalToken(cells)
        return (token, try PostgresRows.user(cells, from: PostgresRows.personalTokenColumnCount))
    }
}

extension PostgresRows {
    static let personalTokenColumns = """
        id, user_id, name, prefix, digest, scopes, workspace_ids, created_at, expires_at, last_used_at, version
        """
    static let personalTokenColumnCount = 11

    static func personalToken(_ row: PostgresRow) throws -> PersonalAccessToken {
        try personalToken(row.makeRandomAccess())
    }

    /// The token in the 11 cells of `personalTokenColumns` starting at `offset`.
    static func personalToken(_ cells: PostgresRandomAccessRow, from offset: Int = 0) throws -> PersonalAccessToken {
        let workspaceIDs = try cells[offset + 6].decode([UUID]?.self)
        return PersonalAccessToken(
            id: PersonalTokenID(try cells[offset].decode(UUID.self)),
            userID: UserID(try cells[offset + 1].decode(UUID.self)),
            name: try cells[offset + 2].decode(String.self), prefix: try cells[offset + 3].decode(String.self),
            digest: try cells[offset + 4].decode(String.self),
            // A scope this version does not know (written by a newer one) is left out, never widened.
            scopes: Set(try cells[offset + 5].decode([String].self).compactMap(TokenScope.init(rawValue:))),
            workspaceIDs: workspaceIDs.map { Set($0.map(WorkspaceID.init)) },
            createdAt: try cells[offset + 7].decode(Date.self).truncatedToMilliseconds,
            expiresAt: try cells[offset + 8].decode(Date.self).truncatedToMilliseconds,
            lastUsedAt: try cells[offset + 9].decode(Date?.self)?.truncatedToMilliseconds,
            version: Int(try cells[offset + 10].decode(Int32.self)))
    }

    /// The `touched` CTE of a statement that reads a presented token by its digest: it writes the token's
    /// `last_used_at` (`at`) when the token has not expired and was last used at or before `touchingBefore`, or
    /// never. `SKIP LOCKED` lets concurrent requests with one token go on without waiting for the one that writes
    /// it. The arguments are the statement's parameters (`$1`, …).
    static func touchedToken(digest: String, at: String, touchingBefore: String) -> String {
        """
        touched AS (
            UPDATE personal_access_tokens SET last_used_at = \(at)
            WHERE id = (
                SELECT id FROM personal_access_tokens
                WHERE digest = \(digest) AND expires_at > \(at)
                    AND (last_used_at IS NULL OR last_used_at <= \(touchingBefore))
                FOR UPDATE SKIP LOCKED)
            RETURNING last_used_at
        )
        """
    }

    /// `personalTokenColumns` of the token aliased `alias` in a statement with `touchedToken`: `last_used_at` as
    /// `touched` left it.
    static func presentedTokenColumns(as alias: String) -> String {
        qualified(personalTokenColumns, as: alias).replacingOccurrences(
            of: "\(alias).last_used_at", with: "COALESCE((SELECT last_used_at FROM touched), \(alias).last_used_at)")
    }
}

extension PostgresBindings {
    /// Binds what finds a presented token (the parameters of `PostgresRows.touchedToken` and the digest's match):
    /// its digest, the moment of the request, and the moment before which `last_used_at` is written again.
    mutating func append(_ lookup: PersonalTokenLookup) {
        append(lookup.digest)
        append(lookup.at.bound)
        append(lookup.touchingBefore.bound)
    }
}
