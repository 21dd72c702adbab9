import Foundation
import Synchronization
import TaskCore
import TaskStore
import TaskTestSupport
import Testing

/// Idempotency keys on every store: an answer is recorded with its change or not at all, and a key's change is
/// kept once, however many requests with it arrive at once.
@Suite("Store conformance: idempotency keys")
struct IdempotencyConformanceTests {
    struct Rollback: Error {}

    static let answer = RecordedAnswer(
        status: 201, contentType: "application/json", location: "/api/v1/tasks/1", eTag: "\"1\"",
        body: Array(#"{"id":"1"}"#.utf8))
    static let other = RecordedAnswer(status: 422, contentType: "application/problem+json", body: Array("{}".utf8))

    func request(_ userID: UserID, key: String = "k-1", fingerprint: String = "f-1") -> IdempotentRequest {
        IdempotentRequest(userID: userID, key: key, fingerprint: fingerprint)
    }

    @Test("a recorded key keeps its answer; another user's same key is free", arguments: StoreKind.available)
    func recordAndRead(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let alice = UserID(UUID()), bob = UserID(UUID())
        let at = SteppingClock.start
        let first = try await store.transaction { tx in
            try await tx.recordIdempotentAnswer(Self.answer, for: request(alice), at: at)
        }
        #expect(first)
        let second = try await store.transaction { tx in
            try await tx.recordIdempotentAnswer(Self.other, for: request(alice, fingerprint: "f-2"), at: at)
        }
        #expect(!second)
        let stored = try await store.transaction { tx in try await tx.idempotentAnswer(userID: alice, key: "k-1") }
        #expect(try await stored?.contents() == Self.answer.contents(fingerprint: "f-1"))
        let bobs = try await store.transaction { tx in
            try await tx.recordIdempotentAnswer(Self.other, for: request(bob), at: at)
        }
        #expect(bobs)
        let bobsStored = try await store.transaction { tx in try await tx.idempotentAnswer(userID: bob, key: "k-1") }
        #expect(try await bobsStored?.answer.contents() == Self.other.contents())
        let none = try await store.transaction { tx in try await tx.idempotentAnswer(userID: alice, key: "k-2") }
        #expect(none == nil)
    }

    @Test(
        "an answer whose body is made after the commit is recorded with it, and its body is made once",
        arguments: StoreKind.available)
    func bodyMadeLater(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let alice = UserID(UUID())
        let calls = Mutex(0)
        let bytes = Array(#"{"id":"later"}"#.utf8)
        let answer = RecordedAnswer(
            status: 201, contentType: "application/json",
            body: AnswerBody(making: {
                calls.withLock { $0 += 1 }
                return bytes
            }))
        let recorded = try await store.transaction { tx in
            try await tx.recordIdempotentAnswer(answer, for: request(alice), at: SteppingClock.start)
        }
        #expect(recorded)
        // The first request's own answer, made once its change has committed.
        #expect(try await answer.body.bytes() == bytes)
        let stored = try await store.transaction { tx in try await tx.idempotentAnswer(userID: alice, key: "k-1") }
        #expect(try await stored?.contents() == answer.contents(fingerprint: "f-1"))
        #expect(calls.withLock { $0 } == 1)
    }

    @Test("a record rolled back with its change leaves the key free", arguments: StoreKind.available)
    func rolledBackRecord(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let alice = UserID(UUID())
        await #expect(throws: Rollback.self) {
            try await store.transaction { tx in
                _ = try await tx.recordIdempotentAnswer(Self.answer, for: request(alice), at: SteppingClock.start)
                throw Rollback()
            }
        }
        let stored = try await store.transaction { tx in try await tx.idempotentAnswer(userID: alice, key: "k-1") }
        #expect(stored == nil)
        let recorded = try await store.transaction { tx in
            try await tx.recordIdempotentAnswer(Self.other, for: request(alice), at: SteppingClock.start)
        }
        #expect(recorded)
    }

    @Test("records older than the cut-off are deleted, newer ones kept", arguments: StoreKind.available)
    func expiry(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let alice = UserID(UUID())
        let start = SteppingClock.start
        try await store.transaction { tx in
            for (index, offset) in [0.0, 10, 20].enumerated() {
                _ = try await tx.recordIdempotentAnswer(
                    Self.answer, for: request(alice, key: "k-\(index)"), at: start.addingTimeInterval(offset))
            }
        }
        let deleted = try await store.transaction { tx in
            try await tx.deleteIdempotencyRecords(before: start.addingTimeInterval(10), limit: 100)
        }
        #expect(deleted == 1)
        let kept = try await store.transaction { tx in
            var kept: [Bool] = []
            for index in 0..<3 { kept.append(try await tx.idempotentAnswer(userID: alice, key: "k-\(index)") != nil) }
            return kept
        }
        #expect(kept == [false, true, true])
    }

    @Test(
        "eight requests with one key at once: one change is kept, the others replay its answer",
        arguments: StoreKind.available)
    func parallelDuplicates(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let service = IdempotencyService(store: world.store, now: SteppingClock().now)
        let outcomes = try await withThrowingTaskGroup(of: IdempotencyService.Outcome<TaskID>.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await service.perform(request(alice.id)) { id in
                        .withChange(RecordedAnswer(status: 201, body: Array(id.uuid.uuidString.utf8)))
                    } _: {
                        try await world.tasks.create(alice, NewTask(title: "Once")).id
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let tasks = try await world.tasks.tasks(alice, matching: TaskFilter(), page: .first).items
        #expect(tasks.map(\.title) == ["Once"])
        let performedIDs = outcomes.compactMap { outcome -> TaskID? in
            guard case .performed(let id) = outcome else { return nil }
            return id
        }
        var replayedIDs: [String] = []
        for case .replayed(let answer) in outcomes {
            replayedIDs.append(String(decoding: try await answer.body.bytes(), as: UTF8.self))
        }
        #expect(performedIDs == tasks.map(\.id))
        #expect(replayedIDs.count == 7)
        #expect(Set(replayedIDs) == [tasks[0].id.uuid.uuidString])
    }

    @Test(
        "an answer that is not recorded rolls its change back and leaves the key free", arguments: StoreKind.available)
    func unrecordedAnswer(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let service = IdempotencyService(store: world.store, now: SteppingClock().now)
        let first = try await service.perform(request(alice.id)) { (_: TaskID) in
            .none
        } _: {
            try await world.tasks.create(alice, NewTask(title: "Lost")).id
        }
        guard case .performed = first else { Issue.record("expected the first request to run"); return }
        #expect(try await world.tasks.tasks(alice, matching: TaskFilter(), page: .first).items.isEmpty)
        let second = try await service.perform(request(alice.id)) { (_: TaskID) in
            .withChange(Self.answer)
        } _: {
            try await world.tasks.create(alice, NewTask(title: "Kept")).id
        }
        guard case .performed = second else { Issue.record("expected the retry to run"); return }
        let titles = try await world.tasks.tasks(alice, matching: TaskFilter(), page: .first).items
        #expect(titles.map(\.title) == ["Kept"])
    }

    @Test(
        "a refusal is recorded without what its request touched, and replayed to a retry",
        arguments: StoreKind.available)
    func recordedRefusal(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let service = IdempotencyService(store: world.store, now: SteppingClock().now)
        let first = try await service.perform(request(alice.id)) { (_: TaskID) in
            .withoutChange(Self.other)
        } _: {
            try await world.tasks.create(alice, NewTask(title: "Touched")).id
        }
        guard case .performed = first else { Issue.record("expected the first request to run"); return }
        #expect(try await world.tasks.tasks(alice, matching: TaskFilter(), page: .first).items.isEmpty)
        let retry = try await service.perform(request(alice.id)) { (_: TaskID) in
            .withChange(Self.answer)
        } _: {
            try await world.tasks.create(alice, NewTask(title: "Retried")).id
        }
        guard case .replayed(let answer) = retry else { Issue.record("expected the refusal replayed"); return }
        #expect(try await answer.contents() == Self.other.contents())
        #expect(try await world.tasks.tasks(alice, matching: TaskFilter(), page: .first).items.isEmpty)
    }

    @Test(
        "a keyed new task is read back in its transaction, and kept with its event and its record",
        arguments: StoreKind.available)
    func keyedNewTask(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let service = IdempotencyService(store: world.store, now: SteppingClock().now)
        let outcome = try await service.perform(request(alice.id)) { (_: TaskItem) in
            .withChange(Self.answer)
        } _: {
            try await world.store.transaction { tx in
                let created = try await world.tasks.create(alice, NewTask(title: "Read back"))
                #expect(try await tx.task(created.id) == created)
                return created
            }
        }
        guard case .performed(let created) = outcome else { Issue.record("expected the request to run"); return }
        let (kept, events, record) = try await world.store.transaction { tx in
            (
                try await tx.task(created.id), try await tx.events(of: created.id, after: nil, limit: 10),
                try await tx.idempotentAnswer(userID: alice.id, key: "k-1")
            )
        }
        #expect(kept == created)
        #expect(events.map(\.event.kind) == [.taskCreated])
        #expect(try await record?.contents() == Self.answer.contents(fingerprint: "f-1"))
    }

    @Test("the same key with another request is refused and keeps nothing", arguments: StoreKind.available)
    func reusedKey(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let service = IdempotencyService(store: world.store, now: SteppingClock().now)
        _ = try await service.perform(request(alice.id)) { (_: TaskID) in
            .withChange(Self.answer)
        } _: {
            try await world.tasks.create(alice, NewTask(title: "First")).id
        }
        await #expect(throws: DomainError.idempotencyKeyReused) {
            _ = try await service.perform(request(alice.id, fingerprint: "f-other")) { (_: TaskID) in
                .withChange(Self.answer)
            } _: {
                try await world.tasks.create(alice, NewTask(title: "Second")).id
            }
        }
        let titles = try await world.tasks.tasks(alice, matching: TaskFilter(), page: .first).items
        #expect(titles.map(\.title) == ["First"])
    }
}

/// Counts how often an operation ran, from any task.
final class RunCounter: Sendable {
    private let value = Mutex(0)

    func increment() { value.withLock { $0 += 1 } }

    var count: Int { value.withLock { $0 } }
}
