import Foundation

/// Runs a change at most once per idempotency key: the first request with a key runs, and its answer is recorded
/// in the same transaction as its change; a retry with the same key and the same request gets that answer again
/// and changes nothing.
///
/// Which answers are recorded is the caller's rule (`record` returns `nil` for one that is not); a change whose
/// answer is not recorded is rolled back, so that the request can be retried with the same key.
public struct IdempotencyService: Sendable {
    /// How long a record is kept at least.
    public static let retention: TimeInterval = 24 * 60 * 60

    /// The outcome of a request with a key.
    public enum Outcome<Answer: Sendable>: Sendable {
        /// The request ran now and got this answer.
        case performed(Answer)
        /// An earlier request with the key got this answer; nothing ran.
        case replayed(RecordedAnswer)
    }

    let store: any DataStore
    let now: Now
    let lockWait: Duration
    let attempts: Int

    /// Creates the service. A request whose key another request holds waits for it up to `attempts` waits of
    /// `lockWait` each (10 s by default), then fails with `idempotencyKeyInUse`.
    public init(
        store: any DataStore, now: @escaping Now = systemNow, lockWait: Duration = .seconds(1), attempts: Int = 10
    ) {
        self.store = store
        self.now = now
        self.lockWait = lockWait
        self.attempts = max(1, attempts)
    }

    /// Runs `operation` once for `request`'s key, or replays the answer an earlier run with the key recorded.
    ///
    /// `operation` runs inside one transaction with the claim of the key and the record of its answer: the
    /// transactions of the use cases it calls join it.
    /// - Throws: `idempotencyKeyReused` when the key was used for another request; `idempotencyKeyInUse` when
    ///   another request holds it for longer than the wait; what `operation` throws, with its change rolled back.
    public func perform<Answer: Sendable>(
        _ request: IdempotentRequest,
        record: @escaping @Sendable (Answer) -> RecordedAnswer?,
        _ operation: @escaping @Sendable () async throws -> Answer
    ) async throws -> Outcome<Answer> {
        for _ in 0..<attempts {
            do {
                return try await store.transaction { [now, lockWait] tx -> Outcome<Answer> in
                    switch try await tx.claimIdempotencyKey(request, at: now(), waitingAtMost: lockWait) {
                    case .inUse:
                        throw KeyInUse()
                    case .answered(let fingerprint, let answer):
                        guard fingerprint == request.fingerprint else { throw DomainError.idempotencyKeyReused }
                        return .replayed(answer)
                    case .claimed:
                        let answer = try await operation()
                        guard let recorded = record(answer) else { throw Unrecorded(answer: answer) }
                        try await tx.recordIdempotentAnswer(recorded, for: request)
                        return .performed(answer)
                    }
                }
            } catch is KeyInUse {
                continue
            } catch let unrecorded as Unrecorded<Answer> {
                return .performed(unrecorded.answer)
            }
        }
        throw DomainError.idempotencyKeyInUse(retryAfterSeconds: 1)
    }

    /// Deletes the records older than `retention`.
    public func removeExpiredRecords() async throws {
        let before = now().addingTimeInterval(-Self.retention)
        try await store.transaction { tx in try await tx.deleteIdempotencyRecords(before: before) }
    }

    /// Another transaction held the key for the whole wait.
    private struct KeyInUse: Error {}

    /// An answer that is not recorded: thrown to roll the change back, then returned.
    private struct Unrecorded<Value: Sendable>: Error { let answer: Value }
}
