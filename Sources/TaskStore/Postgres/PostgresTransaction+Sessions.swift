import Foundation
import PostgresNIO
import TaskCore

extension PostgresTransaction {
    func insertRefreshToken(_ token: RefreshTokenRecord) async throws {
        try await execute(
            """
            INSERT INTO refresh_tokens (digest, user_id, issued_at, expires_at, spent_at)
            VALUES (\(token.digest), \(token.userID.uuid), \(token.issuedAt.bound), \(token.expiresAt.bound), \(token.spentAt.bound))
            """)
    }

    func refreshToken(digest: String) async throws -> RefreshTokenRecord? {
        try await rows(
            "SELECT digest, user_id, issued_at, expires_at, spent_at FROM refresh_tokens WHERE digest = \(digest)"
        ) { row in
            let (digest, userID, issued, expires, spent) = try row.decode((String, UUID, Date, Date, Date?).self)
            return RefreshTokenRecord(
                digest: digest, userID: UserID(userID), issuedAt: issued.truncatedToMilliseconds,
                expiresAt: expires.truncatedToMilliseconds, spentAt: spent?.truncatedToMilliseconds)
        }.first
    }

    func spendRefreshToken(digest: String, at: Date) async throws -> Bool {
        try await changedRows(
            "UPDATE refresh_tokens SET spent_at = \(at.bound) WHERE digest = \(digest) AND spent_at IS NULL") == 1
    }

    func revokeRefreshTokens(of userID: UserID, at: Date) async throws {
        try await execute(
            "UPDATE refresh_tokens SET spent_at = \(at.bound) WHERE user_id = \(userID.uuid) AND spent_at IS NULL")
    }

    func deleteRefreshTokens(expiredBefore before: Date) async throws {
        try await execute("DELETE FROM refresh_tokens WHERE expires_at < \(before.bound)")
    }

    func recordLoginFailure(key: String, at: Date) async throws {
        try await execute("INSERT INTO login_failures (key, at) VALUES (\(key), \(at.bound))")
    }

    func loginFailures(key: String, since: Date) async throws -> [Date] {
        try await rows("SELECT at FROM login_failures WHERE key = \(key) AND at >= \(since.bound) ORDER BY at") { row in
            try row.decode(Date.self).truncatedToMilliseconds
        }
    }

    func clearLoginFailures(key: String) async throws {
        try await execute("DELETE FROM login_failures WHERE key = \(key)")
    }

    func deleteLoginFailures(before: Date) async throws {
        try await execute("DELETE FROM login_failures WHERE at < \(before.bound)")
    }
}

extension PostgresTransaction {
    func lockAttempts(key: String) async throws {
        try await beginIfNeeded()
        _ = try await rows("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))") { _ in () }
    }

    func deleteLoginFailure(key: String, at: Date) async throws {
        try await execute(
            """
            DELETE FROM login_failures WHERE ctid = (
                SELECT ctid FROM login_failures WHERE key = \(key) AND at = \(at.bound) LIMIT 1)
            """)
    }
}
