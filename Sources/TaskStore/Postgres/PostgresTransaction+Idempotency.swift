import Foundation
import NIOCore
import PostgresNIO
import TaskCore

extension PostgresTransaction {
    /// Inserts the record unless the key has one. A record another transaction inserted and has not committed makes
    /// the insert wait for that transaction: when it commits, nothing is inserted; when it rolls back, the insert
    /// goes ahead. The wait is bounded by the statement timeout; running out of it is `IdempotencyKeyBusy`.
    func recordIdempotentAnswer(_ answer: RecordedAnswer, for request: IdempotentRequest, at: Date) async throws
        -> Bool
    {
        do {
            return try await changedRows(InsertIdempotencyRecordStatement(request: request, answer: answer, at: at))
                == 1
        } catch  where ["57014", "55P03"].contains(PostgresErrors.sqlState(of: error)) {
            throw IdempotencyKeyBusy()
        }
    }

    func idempotentAnswer(userID: UserID, key: String) async throws -> StoredIdempotentAnswer? {
        try await rows(
            """
            SELECT fingerprint, status, content_type, location, etag, body FROM idempotency_keys
            WHERE user_id = \(userID.uuid) AND key = \(key)
            """
        ) { row in
            let (fingerprint, status, contentType, location, eTag, body) = try row.decode(
                (String, Int32, String?, String?, String?, ByteBuffer).self)
            return StoredIdempotentAnswer(
                fingerprint: fingerprint,
                answer: RecordedAnswer(
                    status: Int(status), contentType: contentType, location: location, eTag: eTag,
                    body: Array(body.readableBytesView)))
        }.first
    }

    func deleteIdempotencyRecords(before: Date, limit: Int) async throws -> Int {
        try await changedRows(
            """
            DELETE FROM idempotency_keys WHERE (user_id, key) IN (
                SELECT user_id, key FROM idempotency_keys WHERE created_at < \(before.bound) LIMIT \(limit))
            """)
    }
}

/// Records an answer under a key unless the key has one; returns a row when it recorded it.
struct InsertIdempotencyRecordStatement: PostgresPreparedStatement {
    typealias Row = Int32

    static let sql = """
        INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, status, content_type, location, etag, body)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (user_id, key) DO NOTHING
        RETURNING 1
        """
    static let bindingDataTypes: [PostgresDataType] =
        [.uuid, .text, .text, .timestamptz, .int4, .text, .text, .text, .bytea]

    var request: IdempotentRequest
    var answer: RecordedAnswer
    var at: Date

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 9)
        bindings.append(request.userID.uuid)
        bindings.append(request.key)
        bindings.append(request.fingerprint)
        bindings.append(at.bound)
        bindings.append(Int32(clamping: answer.status))
        bindings.append(answer.contentType)
        bindings.append(answer.location)
        bindings.append(answer.eTag)
        bindings.append(ByteBuffer(bytes: answer.body))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Int32 { try row.decode(Int32.self) }
}
