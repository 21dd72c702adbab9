import Foundation
import TaskCore

extension MemoryTransaction {
    /// Never waits: transactions run one at a time, so a claim found is always a committed one.
    func claimIdempotencyKey(_ request: IdempotentRequest, at: Date, waitingAtMost wait: Duration) async throws
        -> IdempotencyClaim
    {
        await write { state in
            let id = IdempotencyRecordKey(userID: request.userID, key: request.key)
            if let existing = state.idempotencyRecords[id] {
                guard let answer = existing.answer else { return .inUse }
                return .answered(fingerprint: existing.fingerprint, answer: answer)
            }
            state.idempotencyRecords[id] = IdempotencyRecord(fingerprint: request.fingerprint, createdAt: at)
            return .claimed
        }
    }

    func recordIdempotentAnswer(_ answer: RecordedAnswer, for request: IdempotentRequest) async throws {
        await write { state in
            state.idempotencyRecords[IdempotencyRecordKey(userID: request.userID, key: request.key)]?.answer = answer
        }
    }

    func deleteIdempotencyRecords(before: Date) async throws {
        await write { state in
            state.idempotencyRecords = state.idempotencyRecords.filter { $0.value.createdAt >= before }
        }
    }
}
