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

    func unexpiredPersonalTokenCount(of userID: UserID, at: Date) async throws -> Int {
        let counts = try await rows(
            """
            SELECT count(*) FROM personal_access_tokens WHERE user_id = \(userID.uuid) AND expires_at > \(at.bound)
            """
        ) { row in try row.decode(Int64.self) }
        return Int(counts.first ?? 0)
    }

    func personalTokenCredential(digest: String, at: Date, touchingBefore: Date) async throws -> (
        PersonalAccessToken, User
    )? {
        try await rows(PersonalTokenCredentialStatement(digest: digest, at: at, touchingBefore: touchingBefore)).first
    }

    func deletePersonalTokens(expiredBefore before: Date) async throws {
        try await execute("DELETE FROM personal_access_tokens WHERE expires_at < \(before.bound)")
    }
}

/// A presented token and its user, in the one round trip that authenticating a request may cost (as many as an
/// access token's user look-up). Its `touched` part writes `last_used_at` when it is a minute old or unset; `SKIP
/// LOCKED` lets concurrent requests with one token go on without waiting for the one that writes it.
struct PersonalTokenCredentialStatement: PostgresPreparedStatement {
    static let sql = """
        WITH touched AS (
            UPDATE personal_access_tokens SET last_used_at = $2
            WHERE id = (
                SELECT id FROM personal_access_tokens
                WHERE digest = $1 AND expires_at > $2 AND (last_used_at IS NULL OR last_used_at <= $3)
                FOR UPDATE SKIP LOCKED)
            RETURNING last_used_at
        )
        SELECT t.id, t.user_id, t.name, t.prefix, t.digest, t.scopes, t.workspace_ids, t.created_at, t.expires_at,
            COALESCE((SELECT last_used_at FROM touched), t.last_used_at), t.version,
            \(PostgresRows.userColumns(as: "u"))
        FROM personal_access_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.digest = $1
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .timestamptz, .timestamptz]

    var digest: String
    var at: Date
    var touchingBefore: Date

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(digest)
        bindings.append(at.bound)
        bindings.append(touchingBefore.bound)
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

    /// The token in the first 11 cells of a row.
    static func personalToken(_ cells: PostgresRandomAccessRow) throws -> PersonalAccessToken {
        let workspaceIDs = try cells[6].decode([UUID]?.self)
        return PersonalAccessToken(
            id: PersonalTokenID(try cells[0].decode(UUID.self)), userID: UserID(try cells[1].decode(UUID.self)),
            name: try cells[2].decode(String.self), prefix: try cells[3].decode(String.self),
            digest: try cells[4].decode(String.self),
            // A scope this version does not know (written by a newer one) is left out, never widened.
            scopes: Set(try cells[5].decode([String].self).compactMap(TokenScope.init(rawValue:))),
            workspaceIDs: workspaceIDs.map { Set($0.map(WorkspaceID.init)) },
            createdAt: try cells[7].decode(Date.self).truncatedToMilliseconds,
            expiresAt: try cells[8].decode(Date.self).truncatedToMilliseconds,
            lastUsedAt: try cells[9].decode(Date?.self)?.truncatedToMilliseconds,
            version: Int(try cells[10].decode(Int32.self)))
    }
}
