import Foundation
import Synchronization
import TaskCore
import TaskTestSupport
import Testing

/// Following a feed for a live stream (`EventFeedService.follow`).
@Suite("Event streams")
struct EventFollowTests {
    /// Collects what a stream delivered.
    final class Delivered: Sendable {
        private let answers = Mutex<[FeedAnswer]>([])

        func add(_ answer: FeedAnswer) { answers.withLock { $0.append(answer) } }

        var events: [ActivityEvent] { answers.withLock { $0.flatMap(\.events) } }
        var count: Int { answers.withLock { $0.count } }
    }

    /// Set once, read from any task.
    final class Flag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    func service(_ world: TestWorld) -> EventFeedService {
        EventFeedService(
            store: world.store, now: world.clock.now, heartbeat: .milliseconds(50), revalidation: .zero)
    }

    /// A world with alice owning a workspace, the feeds' service, and the cursor of "now" on that workspace.
    func setUp() async throws -> (
        world: TestWorld, alice: Caller, workspace: WorkspaceID, events: EventFeedService, now: String
    ) {
        let world = TestWorld()
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let events = service(world)
        let start = try await events.feed(alice, .workspace(workspace), try FeedQuery(start: .now))
        return (world, alice, workspace, events, start.nextCursor)
    }

    @Test("an event committed while the stream waits is delivered to it, each once, with a cursor per event")
    func delivers() async throws {
        let (world, alice, workspace, events, now) = try await setUp()
        let delivered = Delivered()
        let stop = Flag()
        let follower = Task {
            try await events.follow(
                alice, .workspace(workspace), after: now, kinds: nil, expiresAt: nil,
                stillValid: { true }, shouldStop: { stop.isSet }
            ) { answer in
                delivered.add(answer)
                #expect(answer.cursors.count == answer.events.count)
                if delivered.events.count >= 2 { stop.set() }
            }
        }
        let first = try await world.tasks.create(alice, NewTask(title: "One", workspaceID: workspace))
        let second = try await world.tasks.create(alice, NewTask(title: "Two", workspaceID: workspace))
        try await follower.value
        #expect(delivered.events.map(\.taskID) == [first.id, second.id])
    }

    @Test("an idle stream delivers an empty answer at each heartbeat (the HTTP layer sends it as a comment line)")
    func heartbeat() async throws {
        let (_, alice, workspace, events, now) = try await setUp()
        let delivered = Delivered()
        let stop = Flag()
        try await events.follow(
            alice, .workspace(workspace), after: now, kinds: nil, expiresAt: nil, stillValid: { true },
            shouldStop: { stop.isSet }
        ) { answer in
            #expect(answer.events.isEmpty)
            delivered.add(answer)
            if delivered.count >= 2 { stop.set() }
        }
        #expect(delivered.count == 2)
    }

    @Test("a stream ends when its credential expires, and when it is no longer valid")
    func ends() async throws {
        let (world, alice, workspace, events, now) = try await setUp()
        let expiresAt = world.clock.now().addingTimeInterval(60)
        let delivered = Delivered()
        let expiring = Task {
            try await events.follow(
                alice, .workspace(workspace), after: now, kinds: nil, expiresAt: expiresAt,
                stillValid: { true }, shouldStop: { false }
            ) { delivered.add($0) }
        }
        world.clock.advance(by: 61)
        try await expiring.value

        let revoked = Flag()
        let revoking = Task {
            try await events.follow(
                alice, .workspace(workspace), after: now, kinds: nil, expiresAt: nil,
                stillValid: { !revoked.isSet }, shouldStop: { false }
            ) { _ in }
        }
        revoked.set()
        try await revoking.value
    }

    @Test("closing the streams for a shutdown ends every stream and long poll at once", .timeLimit(.minutes(3)))
    func closing() async throws {
        let world = TestWorld()
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        // A heartbeat and a wait far longer than the time limit: only closing can end them in time.
        let events = EventFeedService(store: world.store, now: world.clock.now, heartbeat: .seconds(3600))
        let start = try await events.feed(alice, .workspace(workspace), try FeedQuery(start: .now))
        let stream = Task {
            try await events.follow(
                alice, .workspace(workspace), after: start.nextCursor, kinds: nil, expiresAt: nil,
                stillValid: { true }, shouldStop: { false }
            ) { _ in }
        }
        let poll = Task {
            try await events.feed(
                alice, .workspace(workspace), try FeedQuery(start: .cursor(start.nextCursor), waitSeconds: 30))
        }
        for _ in 0..<1000 where events.waitingReaders < 2 { try await Task.sleep(for: .milliseconds(10)) }
        events.closeStreams()
        try await stream.value
        #expect(try await poll.value.events.isEmpty)
    }

    @Test("a stream of a feed the caller may no longer read ends")
    func endsWhenAccessGoes() async throws {
        let world = TestWorld()
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .admin)])
        let events = service(world)
        let start = try await events.feed(bob, .workspace(workspace), try FeedQuery(start: .now))
        let follower = Task {
            try await events.follow(
                bob, .workspace(workspace), after: start.nextCursor, kinds: nil, expiresAt: nil, stillValid: { true },
                shouldStop: { false }
            ) { _ in }
        }
        _ = try await world.workspaces.changeRole(alice, in: workspace, userID: bob.id, to: .member)
        try await follower.value
    }
}

/// The process's one watcher of every feed.
@Suite("Event feeds: one watcher per process")
struct FeedWatcherTests {
    @Test(
        "ten readers waiting on a quiet feed are not woken by another feed's events, and read once when theirs has one",
        arguments: StoreKind.available)
    func fanOut(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let watched = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "Watched")).id
        let other = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "Other")).id
        // No reader reads without being woken, however long it waits.
        let events = EventFeedService(
            store: world.store, now: world.clock.now, pollInterval: .milliseconds(50), fallback: .seconds(3600))
        // Every event so far readable, so that none of them wakes the readers later (on PostgreSQL an event becomes
        // readable once older transactions have ended, and other suites run some).
        try await FeedSettling.settle(world.store)
        let start = try await events.feed(alice, .project(watched), try FeedQuery(start: .now))
        let baseline = events.reads
        let polls = (0..<10).map { _ in
            Task {
                try await events.feed(
                    alice, .project(watched), try FeedQuery(start: .cursor(start.nextCursor), waitSeconds: 30))
            }
        }
        for _ in 0..<1000 where events.waitingReaders < 10 || events.reads < baseline + 10 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(events.reads == baseline + 10)

        let looks = events.watcher.looks
        _ = try await world.tasks.create(alice, NewTask(title: "Elsewhere", projectID: other))
        for _ in 0..<2000 where events.watcher.looks < looks + 2 { try await Task.sleep(for: .milliseconds(10)) }
        _ = try await world.tasks.create(alice, NewTask(title: "Here", projectID: watched))
        for poll in polls {
            #expect(try await poll.value.events.map(\.kind) == [.taskCreated])
        }
        // Each reader read once more, for its own event: none was woken by the other project's.
        #expect(events.reads == baseline + 20)
        #expect(events.waitingReaders == 0)
    }
}
