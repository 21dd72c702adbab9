import Foundation
import TaskCore

extension MemoryTransaction {
    /// Never waits: changing transactions run one at a time, so a record found here is a committed one or this
    /// transaction's own.
    func recordIdempotentAnswer(_ answer: RecordedAnswer, for request: IdempotentRequest, at: Date) async throws
        -> Bool
    {
        let record = IdempotencyRecord(
            stored: StoredIdempotentAnswer(fingerprint: request.fingerprint, answer: answer), createdAt: at)
        let key = IdempotencyRecordKey(userID: request.userID, key: request.key)
        return await store.withIdempotencyRecords(number) { records in records.add(record, for: key) }
    }

    func idempotentAnswer(userID: UserID, key: String) async throws -> StoredIdempotentAnswer? {
        store.idempotencyRecord(IdempotencyRecordKey(userID: userID, key: key), for: number)?.stored
    }

    func deleteIdempotencyRecords(before: Date, limit: Int) async throws -> Int {
        await store.withIdempotencyRecords(number) { records in records.delete(before: before, limit: limit) }
    }
}
