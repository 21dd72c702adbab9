import Foundation
import TaskCore
import TaskTestSupport
import Testing

/// What only PostgreSQL can show about idempotency keys: several transactions holding connections at once, and
/// answers that outlive the process that recorded them.
@Suite(
    "PostgreSQL idempotency keys",
    .enabled(if: StoreKind.postgresURL != nil || StoreKind.isCI, "POSTGRESQL TESTS SKIPPED: run ./scripts/test"))
struct PostgresIdempotencyTests {
    static let answer = RecordedAnswer(status: 201, contentType: "application/json", body: Array("{}".utf8))

    @Test("a key held by a running request: a retry waits, then hears it is in use; after the commit it replays")
    func keyInUse() async throws {
        let store = try await StoreKind.makePostgresStore()
        let request = IdempotentRequest(userID: UserID(UUID()), key: "k", fingerprint: "f")
        let (claimed, claimedSignal) = AsyncStream<Void>.makeStream()
        let (release, releaseSignal) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await store.transaction { tx in
                _ = try await tx.claimIdempotencyKey(request, at: SteppingClock.start, waitingAtMost: .seconds(1))
                claimedSignal.yield()
                for await _ in release { break }
                try await tx.recordIdempotentAnswer(Self.answer, for: request)
            }
        }
        for await _ in claimed { break }

        let impatient = IdempotencyService(
            store: store, now: SteppingClock().now, lockWait: .milliseconds(100), attempts: 2)
        let runs = RunCounter()
        await #expect(throws: DomainError.idempotencyKeyInUse(retryAfterSeconds: 1)) {
            _ = try await impatient.perform(request) { (_: Int) in
                Self.answer
            } _: {
                runs.increment()
                return 1
            }
        }
        releaseSignal.yield()
        try await holder.value
        let patient = IdempotencyService(store: store, now: SteppingClock().now)
        let outcome = try await patient.perform(request) { (_: Int) in
            Self.answer
        } _: {
            runs.increment()
            return 2
        }
        guard case .replayed(let replayed) = outcome else {
            Issue.record("expected the recorded answer, got \(outcome)")
            return
        }
        #expect(replayed == Self.answer)
        #expect(runs.count == 0)
    }

    @Test("a recorded answer outlives the store that recorded it (a restarted taskd replays it)")
    func survivesRestart() async throws {
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let request = IdempotentRequest(userID: UserID(UUID()), key: "k", fingerprint: "f")
        let (first, runner) = try await StoreKind.openPostgresStore(schema: schema)
        _ = try await IdempotencyService(store: first, now: SteppingClock().now).perform(request) { (_: Int) in
            Self.answer
        } _: {
            1
        }
        runner.cancel()
        _ = await runner.value
        let second = try await StoreKind.makePostgresStore(schema: schema)
        let outcome = try await IdempotencyService(store: second, now: SteppingClock().now).perform(request) {
            (_: Int) in
            Self.answer
        } _: {
            2
        }
        guard case .replayed(let replayed) = outcome else {
            Issue.record("expected the recorded answer, got \(outcome)")
            return
        }
        #expect(replayed == Self.answer)
    }
}
