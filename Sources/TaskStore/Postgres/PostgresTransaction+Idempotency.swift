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
        // The bytes go in the row: a body still to be made is made here, inside the transaction.
        let body = try await answer.body.bytes()
        let record = InsertIdempotencyRecordStatement(request: request, answer: answer, body: body, at: at)
        do {
            if let write = deferredWrite.take() {
                // The change's held-back write and the record, one round trip.
                let row = try await rows(InsertTaskWithEventsRecordingAnswerStatement(write: write, record: record))
                noteRecorded(queued: row.map(\.queuedDeliveries))
                return row.first?.recorded == true
            }
            return try await changedRows(record) == 1
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

    static let sql = insert(parametersFrom: 1)
    static let bindingDataTypes: [PostgresDataType] =
        [.uuid, .text, .text, .timestamptz, .int4, .text, .text, .text, .bytea]

    var request: IdempotentRequest
    var answer: RecordedAnswer
    /// The answer's body, made.
    var body: [UInt8]
    var at: Date

    /// The insert, its nine parameters numbered from `first` on, so that another statement can carry it.
    static func insert(parametersFrom first: Int) -> String {
        let parameters = (first..<first + 9).map { "$\($0)" }.joined(separator: ", ")
        return """
            INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, status, content_type, location, etag,
                body)
            VALUES (\(parameters))
            ON CONFLICT (user_id, key) DO NOTHING
            RETURNING 1
            """
    }

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 9)
        appendBindings(to: &bindings)
        return bindings
    }

    /// Appends the statement's nine bindings, in order.
    func appendBindings(to bindings: inout PostgresBindings) {
        bindings.append(request.userID.uuid)
        bindings.append(request.key)
        bindings.append(request.fingerprint)
        bindings.append(at.bound)
        bindings.append(Int32(clamping: answer.status))
        bindings.append(answer.contentType)
        bindings.append(answer.location)
        bindings.append(answer.eTag)
        bindings.append(ByteBuffer(bytes: body))
    }

    func decodeRow(_ row: PostgresRow) throws -> Int32 { try row.decode(Int32.self) }
}

/// A new task with its events (`InsertTaskWithEventsStatement`) and the record of the keyed request that made it
/// (`InsertIdempotencyRecordStatement`), in one statement. The task is inserted even when the key turns out to be
/// taken; the caller then rolls the transaction back, as it would after two statements.
struct InsertTaskWithEventsRecordingAnswerStatement: PostgresPreparedStatement {
    /// Whether the events queued deliveries, and whether the answer was recorded (the key was free).
    typealias Row = (queuedDeliveries: Bool, recorded: Bool)

    static let sql =
        "WITH task AS (\(InsertTaskStatement.sql) RETURNING 1), recorded AS ("
        + InsertIdempotencyRecordStatement.insert(
            parametersFrom: InsertTaskWithEventsStatement.bindingDataTypes.count + 1)
        + "), "
        + InsertEventsStatement.expressions(
            parametersFrom: InsertTaskStatement.bindingDataTypes.count + 1,
            extraColumn: "EXISTS (SELECT 1 FROM recorded)")
    static let bindingDataTypes =
        InsertTaskWithEventsStatement.bindingDataTypes + InsertIdempotencyRecordStatement.bindingDataTypes

    var write: InsertTaskWithEventsStatement
    var record: InsertIdempotencyRecordStatement

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: Self.bindingDataTypes.count)
        write.appendBindings(to: &bindings)
        record.appendBindings(to: &bindings)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let flags = try InsertEventsStatement.flags(row)
        return (queuedDeliveries: flags.queuedDeliveries, recorded: flags.extra)
    }
}
