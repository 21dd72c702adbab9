import Foundation
import NIOCore
import PostgresNIO
import TaskCore

extension PostgresTransaction {
    /// Inserts the claim unless the key has a row. A row another transaction inserted and has not committed makes
    /// the insert wait for that transaction (at most `wait`, by `lock_timeout`): when it commits, its row with the
    /// answer is read; when it rolls back, the insert goes ahead. The wait runs behind a savepoint, so running out
    /// of it leaves this transaction usable.
    func claimIdempotencyKey(_ request: IdempotentRequest, at: Date, waitingAtMost wait: Duration) async throws
        -> IdempotencyClaim
    {
        try await execute("SAVEPOINT idempotency_claim")
        do {
            try await execute(
                PostgresQuery(unsafeSQL: "SET LOCAL lock_timeout = \(max(1, PoolSettings.milliseconds(wait)))"))
            let inserted = try await changedRows(
                """
                INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at)
                VALUES (\(request.userID.uuid), \(request.key), \(request.fingerprint), \(at.bound))
                ON CONFLICT (user_id, key) DO NOTHING
                """)
            try await execute("SET LOCAL lock_timeout TO DEFAULT")
            try await execute("RELEASE SAVEPOINT idempotency_claim")
            if inserted == 1 { return .claimed }
        } catch  where PostgresErrors.sqlState(of: error) == "55P03" {
            try await execute("ROLLBACK TO SAVEPOINT idempotency_claim")
            return .inUse
        }
        let found = try await rows(
            """
            SELECT fingerprint, status, content_type, location, etag, body FROM idempotency_keys
            WHERE user_id = \(request.userID.uuid) AND key = \(request.key)
            """
        ) { row -> IdempotencyClaim in
            let (fingerprint, status, contentType, location, eTag, body) = try row.decode(
                (String, Int32?, String?, String?, String?, ByteBuffer?).self)
            guard let status, let body else { return .inUse }
            let answer = RecordedAnswer(
                status: Int(status), contentType: contentType, location: location, eTag: eTag,
                body: Array(body.readableBytesView))
            return .answered(fingerprint: fingerprint, answer: answer)
        }
        // A row deleted (expired) between the insert and the read: the key is free again on the next attempt.
        return found.first ?? .inUse
    }

    func recordIdempotentAnswer(_ answer: RecordedAnswer, for request: IdempotentRequest) async throws {
        try await execute(
            """
            UPDATE idempotency_keys
            SET status = \(Int32(clamping: answer.status)), content_type = \(answer.contentType),
                location = \(answer.location), etag = \(answer.eTag), body = \(ByteBuffer(bytes: answer.body))
            WHERE user_id = \(request.userID.uuid) AND key = \(request.key)
            """)
    }

    func deleteIdempotencyRecords(before: Date) async throws {
        try await execute("DELETE FROM idempotency_keys WHERE created_at < \(before.bound)")
    }

}
