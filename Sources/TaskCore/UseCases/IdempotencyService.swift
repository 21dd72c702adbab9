import Foundation

/// Runs a change at most once per idempotency key: the answer of the first request with a key is recorded in the
/// same transaction as its change; a retry with the same key and the same request gets that answer again and
/// changes nothing.
///
/// A request runs optimistically: its operation runs, and its answer is recorded at the end of its transaction.
/// When the key turns out to be taken (by an earlier request, or by one that committed while this one ran), the
/// transaction rolls back, with whatever the operation changed, and the recorded answer is replayed. So a first
/// request costs one insert more than a request without a key.
public struct IdempotencyService: Sendable {
    /// How long a record is kept at least.
    public static let retention: TimeInterval = 24 * 60 * 60

    /// How an answer is recorded; the caller's rule decides it.
    public enum Recording: Sendable {
        /// The answer of a change: recorded in the change's transaction.
        case withChange(RecordedAnswer)
        /// The answer of a request that changed nothing (a refusal): its transaction rolls back, whatever it
        /// touched, and the answer is recorded on its own.
        case withoutChange(RecordedAnswer)
        /// Not recorded: the transaction rolls back and the key stays free for a retry.
        case none
    }

    /// The outcome of a request with a key.
    public enum Outcome<Answer: Sendable>: Sendable {
        /// The request ran now and got this answer.
        case performed(Answer)
        /// An earlier request with the key got this answer; nothing ran that was kept.
        case replayed(RecordedAnswer)
    }

    let store: any DataStore
    let now: Now
    let attempts: Int

    /// Creates the service. A request whose key another running request is recording waits for it as long as the
    /// store waits for a lock (PostgreSQL: the statement timeout, 3 s by default), `attempts` times (9 s by
    /// default), then fails with `idempotencyKeyInUse`.
    public init(store: any DataStore, now: @escaping Now = systemNow, attempts: Int = 3) {
        self.store = store
        self.now = now
        self.attempts = max(1, attempts)
    }

    /// Runs `operation` for `request`'s key, or replays the answer an earlier request with the key recorded.
    ///
    /// `operation` runs inside the transaction that records its answer: the transactions of the use cases it
    /// calls join it. It must not swallow a failed use case's error and go on as if the change was made: a
    /// failure answers with a refusal (`withoutChange`) or not at all (`none`).
    /// - Throws: `idempotencyKeyReused` when the key was used for another request; `idempotencyKeyInUse` when
    ///   another request holds it for longer than the wait; what `operation` throws, with its change rolled back.
    public func perform<Answer: Sendable>(
        _ request: IdempotentRequest,
        record: @escaping @Sendable (Answer) -> Recording,
        _ operation: @escaping @Sendable () async throws -> Answer
    ) async throws -> Outcome<Answer> {
        for _ in 0..<attempts {
            do {
                if let outcome = try await attempt(request, record: record, operation) { return outcome }
            } catch is IdempotencyKeyBusy {
                continue
            }
        }
        throw DomainError.idempotencyKeyInUse(retryAfterSeconds: 1)
    }

    /// One run: the outcome, or `nil` when the key's record vanished (expired) between two steps.
    private func attempt<Answer: Sendable>(
        _ request: IdempotentRequest,
        record: @escaping @Sendable (Answer) -> Recording,
        _ operation: @escaping @Sendable () async throws -> Answer
    ) async throws -> Outcome<Answer>? {
        do {
            return try await store.transaction { [now] tx -> Outcome<Answer> in
                let answer = try await operation()
                switch record(answer) {
                case .withChange(let recorded):
                    guard try await tx.recordIdempotentAnswer(recorded, for: request, at: now()) else {
                        throw KeyTaken()
                    }
                    return .performed(answer)
                case .withoutChange(let recorded):
                    throw Refused(answer: answer, recorded: recorded)
                case .none:
                    throw Unrecorded(answer: answer)
                }
            }
        } catch let refused as Refused<Answer> {
            let recorded = try await store.transaction { [now] tx in
                try await tx.recordIdempotentAnswer(refused.recorded, for: request, at: now())
            }
            return recorded ? .performed(refused.answer) : try await earlierAnswer(to: request)
        } catch let unrecorded as Unrecorded<Answer> {
            // A retry whose operation now fails (a body that is no longer valid, a store fault) still gets the
            // answer recorded for its key, or hears that the key was another request's.
            return try await earlierAnswer(to: request) ?? .performed(unrecorded.answer)
        } catch is KeyTaken {
            return try await earlierAnswer(to: request)
        }
    }

    /// The recorded answer for `request`'s key, replayed, or `nil` when there is none.
    /// - Throws: `idempotencyKeyReused` when it answered another request.
    private func earlierAnswer<Answer: Sendable>(to request: IdempotentRequest) async throws -> Outcome<Answer>? {
        let stored = try await store.transaction { tx in
            try await tx.idempotentAnswer(userID: request.userID, key: request.key)
        }
        guard let stored else { return nil }
        guard stored.fingerprint == request.fingerprint else { throw DomainError.idempotencyKeyReused }
        return .replayed(stored.answer)
    }

    /// Deletes the records older than `retention`.
    public func removeExpiredRecords() async throws {
        let before = now().addingTimeInterval(-Self.retention)
        try await BatchedDeletion.run {
            try await store.transaction { tx in
                try await tx.deleteIdempotencyRecords(before: before, limit: BatchedDeletion.batchSize)
            }
        }
    }

    /// The key was recorded by another request that committed first.
    private struct KeyTaken: Error {}

    /// A refusal: thrown to roll its transaction back, then recorded on its own.
    private struct Refused<Value: Sendable>: Error {
        let answer: Value
        let recorded: RecordedAnswer
    }

    /// An answer that is not recorded: thrown to roll the change back, then returned.
    private struct Unrecorded<Value: Sendable>: Error { let answer: Value }
}
