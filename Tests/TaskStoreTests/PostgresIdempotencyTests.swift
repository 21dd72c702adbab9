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
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let holderStore = try await StoreKind.makePostgresStore(schema: schema)
        let retryStore = try await StoreKind.makePostgresStore(schema: schema, statementTimeout: .milliseconds(200))
        let request = IdempotentRequest(userID: UserID(UUID()), key: "k", fingerprint: "f")
        let (recorded, recordedSignal) = AsyncStream<Void>.makeStream()
        let (release, releaseSignal) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await holderStore.transaction { tx in
                _ = try await tx.recordIdempotentAnswer(Self.answer, for: request, at: SteppingClock.start)
                recordedSignal.yield()
                for await _ in release { break }
            }
        }
        for await _ in recorded { break }

        let impatient = IdempotencyService(store: retryStore, now: SteppingClock().now, attempts: 2)
        let runs = RunCounter()
        await #expect(throws: DomainError.idempotencyKeyInUse(retryAfterSeconds: 1)) {
            _ = try await impatient.perform(request) { (_: Int) in
                .withChange(Self.answer)
            } _: {
                runs.increment()
                return 1
            }
        }
        #expect(runs.count == 2)
        releaseSignal.yield()
        try await holder.value
        let outcome = try await impatient.perform(request) { (_: Int) in
            .withChange(RecordedAnswer(status: 200, body: []))
        } _: {
            2
        }
        guard case .replayed(let replayed) = outcome else {
            Issue.record("expected the recorded answer, got \(outcome)")
            return
        }
        #expect(try await replayed.contents() == Self.answer.contents())
    }

    @Test("a new task's write that fails fails its transaction, with a record or without, and keeps nothing")
    func failedNewTaskWrite() async throws {
        let store = try await StoreKind.makePostgresStore()
        let at = SteppingClock.start
        // No such workspace: the insert breaks the foreign key, wherever it is sent.
        let task = TaskItem(
            id: TaskID(UUID()), workspaceID: WorkspaceID(UUID()), title: "Orphan", ownerID: UserID(UUID()),
            createdAt: at, updatedAt: at)
        let event = ActivityEvent(
            id: ActivityID(UUID()), taskID: task.id, workspaceID: task.workspaceID, projectID: nil,
            actorID: task.ownerID, kind: .taskCreated, at: at, changes: .none)
        let request = IdempotentRequest(userID: task.ownerID, key: "k", fingerprint: "f")
        await #expect(throws: (any Error).self) {
            try await store.transaction { tx in
                try await tx.insertTask(task, recording: [event])
                _ = try await tx.recordIdempotentAnswer(Self.answer, for: request, at: at)
            }
        }
        await #expect(throws: (any Error).self) {
            try await store.transaction { tx in try await tx.insertTask(task, recording: [event]) }
        }
        let (kept, record) = try await store.transaction { tx in
            (try await tx.task(task.id), try await tx.idempotentAnswer(userID: request.userID, key: "k"))
        }
        #expect(kept == nil)
        #expect(record == nil)
    }

    @Test("a recorded answer outlives the store that recorded it (a restarted taskd replays it)")
    func survivesRestart() async throws {
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let request = IdempotentRequest(userID: UserID(UUID()), key: "k", fingerprint: "f")
        let (first, runner) = try await StoreKind.openPostgresStore(schema: schema)
        _ = try await IdempotencyService(store: first, now: SteppingClock().now).perform(request) { (_: Int) in
            .withChange(Self.answer)
        } _: {
            1
        }
        runner.cancel()
        _ = await runner.value
        let second = try await StoreKind.makePostgresStore(schema: schema)
        let outcome = try await IdempotencyService(store: second, now: SteppingClock().now).perform(request) {
            (_: Int) in
            .withChange(RecordedAnswer(status: 200, body: []))
        } _: {
            2
        }
        guard case .replayed(let replayed) = outcome else {
            Issue.record("expected the recorded answer, got \(outcome)")
            return
        }
        #expect(try await replayed.contents() == Self.answer.contents())
    }
}
