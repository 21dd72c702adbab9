import Foundation
import Synchronization
import TaskCore
import TaskStore
import TaskTestSupport
import Testing

/// Idempotency keys on every store: a claim guards one change, its answer is kept with it, and a key is never
/// run twice, however many requests with it arrive at once.
@Suite("Store conformance: idempotency keys")
struct IdempotencyConformanceTests {
    struct Rollback: Error {}

    static let answer = RecordedAnswer(
        status: 201, contentType: "application/json", location: "/api/v1/tasks/1", eTag: "\"1\"",
        body: Array(#"{"id":"1"}"#.utf8))

    func request(_ userID: UserID, key: String = "k-1", fingerprint: String = "f-1") -> IdempotentRequest {
        IdempotentRequest(userID: userID, key: key, fingerprint: fingerprint)
    }

    @Test("a claimed key keeps its answer; another user's same key is free", arguments: StoreKind.available)
    func claimAndRecord(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let alice = UserID(UUID()), bob = UserID(UUID())
        let at = SteppingClock.start
        let first = try await store.transaction { tx in
            let claim = try await tx.claimIdempotencyKey(request(alice), at: at, waitingAtMost: .seconds(1))
            try await tx.recordIdempotentAnswer(Self.answer, for: request(alice))
            return claim
        }
        #expect(first == .claimed)
        let again = try await store.transaction { tx in
            try await tx.claimIdempotencyKey(request(alice, fingerprint: "f-2"), at: at, waitingAtMost: .seconds(1))
        }
        #expect(again == .answered(fingerprint: "f-1", answer: Self.answer))
        let other = try await store.transaction { tx in
            try await tx.claimIdempotencyKey(request(bob), at: at, waitingAtMost: .seconds(1))
        }
        #expect(other == .claimed)
    }

    @Test("a claim rolled back with its change leaves the key free", arguments: StoreKind.available)
    func rolledBackClaim(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let alice = UserID(UUID())
        await #expect(throws: Rollback.self) {
            try await store.transaction { tx in
                _ = try await tx.claimIdempotencyKey(
                    request(alice), at: SteppingClock.start, waitingAtMost: .seconds(1))
                try await tx.recordIdempotentAnswer(Self.answer, for: request(alice))
                throw Rollback()
            }
        }
        let claim = try await store.transaction { tx in
            try await tx.claimIdempotencyKey(request(alice), at: SteppingClock.start, waitingAtMost: .seconds(1))
        }
        #expect(claim == .claimed)
    }

    @Test("records older than the cut-off are deleted, newer ones kept", arguments: StoreKind.available)
    func expiry(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let alice = UserID(UUID())
        let start = SteppingClock.start
        try await store.transaction { tx in
            for (index, offset) in [0.0, 10, 20].enumerated() {
                let request = request(alice, key: "k-\(index)")
                _ = try await tx.claimIdempotencyKey(
                    request, at: start.addingTimeInterval(offset), waitingAtMost: .seconds(1))
                try await tx.recordIdempotentAnswer(Self.answer, for: request)
            }
        }
        try await store.transaction { tx in try await tx.deleteIdempotencyRecords(before: start.addingTimeInterval(10))
        }
        let claims = try await store.transaction { tx in
            var claims: [IdempotencyClaim] = []
            for index in 0..<3 {
                claims.append(
                    try await tx.claimIdempotencyKey(
                        request(alice, key: "k-\(index)"), at: start, waitingAtMost: .seconds(1)))
            }
            return claims
        }
        #expect(claims[0] == .claimed)
        #expect(claims[1] == .answered(fingerprint: "f-1", answer: Self.answer))
        #expect(claims[2] == .answered(fingerprint: "f-1", answer: Self.answer))
    }

    @Test(
        "eight requests with one key at once: the change runs once, the others replay its answer",
        arguments: StoreKind.available)
    func parallelDuplicates(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let service = IdempotencyService(store: world.store, now: SteppingClock().now)
        let runs = RunCounter()
        let outcomes = try await withThrowingTaskGroup(of: IdempotencyService.Outcome<TaskID>.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await service.perform(request(alice.id)) { id in
                        RecordedAnswer(status: 201, body: Array(id.uuid.uuidString.utf8))
                    } _: {
                        runs.increment()
                        return try await world.tasks.create(alice, NewTask(title: "Once")).id
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(runs.count == 1)
        let tasks = try await world.tasks.tasks(alice, matching: TaskFilter(), page: .first).items
        #expect(tasks.map(\.title) == ["Once"])
        let replayedIDs = outcomes.compactMap { outcome -> String? in
            guard case .replayed(let answer) = outcome else { return nil }
            return String(decoding: answer.body, as: UTF8.self)
        }
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
            nil
        } _: {
            try await world.tasks.create(alice, NewTask(title: "Lost")).id
        }
        guard case .performed = first else { Issue.record("expected the first request to run"); return }
        #expect(try await world.tasks.tasks(alice, matching: TaskFilter(), page: .first).items.isEmpty)
        let second = try await service.perform(request(alice.id)) { (_: TaskID) in
            Self.answer
        } _: {
            try await world.tasks.create(alice, NewTask(title: "Kept")).id
        }
        guard case .performed = second else { Issue.record("expected the retry to run"); return }
        let titles = try await world.tasks.tasks(alice, matching: TaskFilter(), page: .first).items
        #expect(titles.map(\.title) == ["Kept"])
    }

    @Test("the same key with another request is refused and runs nothing", arguments: StoreKind.available)
    func reusedKey(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let service = IdempotencyService(store: store, now: SteppingClock().now)
        let alice = UserID(UUID())
        _ = try await service.perform(request(alice)) { (_: Int) in
            Self.answer
        } _: {
            1
        }
        let runs = RunCounter()
        await #expect(throws: DomainError.idempotencyKeyReused) {
            _ = try await service.perform(request(alice, fingerprint: "f-other")) { (_: Int) in
                Self.answer
            } _: {
                runs.increment()
                return 2
            }
        }
        #expect(runs.count == 0)
    }
}

/// Counts how often an operation ran, from any task.
final class RunCounter: Sendable {
    private let value = Mutex(0)

    func increment() { value.withLock { $0 += 1 } }

    var count: Int { value.withLock { $0 } }
}
