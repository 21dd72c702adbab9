import Foundation
import TaskCore

extension MemoryTransaction {
    /// Never waits: changing transactions run one at a time, so a record found here is a committed one.
    func recordIdempotentAnswer(_ answer: RecordedAnswer, for request: IdempotentRequest, at: Date) async throws
        -> Bool
    {
        await write { state in
            let id = IdempotencyRecordKey(userID: request.userID, key: request.key)
            guard state.idempotencyRecords[id] == nil else { return false }
            state.idempotencyRecords[id] = IdempotencyRecord(
                stored: StoredIdempotentAnswer(fingerprint: request.fingerprint, answer: answer), createdAt: at)
            return true
        }
    }

    func idempotentAnswer(userID: UserID, key: String) async throws -> StoredIdempotentAnswer? {
        await read { state in state.idempotencyRecords[IdempotencyRecordKey(userID: userID, key: key)]?.stored }
    }

    func deleteIdempotencyRecords(before: Date, limit: Int) async throws -> Int {
        await write { state in
            let count = state.idempotencyRecords.count
            state.idempotencyRecords = state.idempotencyRecords.filter { $0.value.createdAt >= before }
            return count - state.idempotencyRecords.count
        }
    }
}
