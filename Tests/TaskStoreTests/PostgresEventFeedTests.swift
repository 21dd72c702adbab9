import Foundation
import Logging
import TaskCore
import TaskTestSupport
import Testing

@testable import TaskStore

/// What only PostgreSQL can show about the feeds: transactions that commit in another order than they wrote.
@Suite(
    "PostgreSQL event feeds",
    .enabled(if: StoreKind.postgresURL != nil || StoreKind.isCI, "POSTGRESQL TESTS SKIPPED: run ./scripts/test"))
struct PostgresEventFeedTests {
    @Test("a transaction that commits before an older one: its event waits for the older, then each is read once")
    func outOfOrderCommits() async throws {
        let store = try await StoreKind.makePostgresStore()
        let world = TestWorld(store: store)
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        try await FeedSettling.settle(store)
        let (setup, position) = try await EventFeedConformanceTests.read(store, .workspace(workspace), count: 1)
        #expect(setup.map(\.kind) == [.workspaceMemberAdded])

        let older = ActivityEvent(
            id: ActivityID(UUID()), taskID: nil, workspaceID: workspace, projectID: nil, actorID: alice.id,
            kind: .workspaceMemberUpdated, at: SteppingClock.start,
            changes: .member(alice.id, role: FieldChange(from: .string("owner"), to: .string("owner"))))
        let (written, writtenSignal) = AsyncStream<Void>.makeStream()
        let (release, releaseSignal) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await store.transaction { tx in
                try await tx.appendEvents([older])
                writtenSignal.yield()
                for await _ in release { break }
            }
        }
        for await _ in written { break }
        let newer = try await world.tasks.create(alice, NewTask(title: "Newer", workspaceID: workspace))

        // The newer transaction has committed, but the older one, which sorts before it, may still commit: a reader
        // that read the newer event now would have passed the older one for good. So neither is readable yet.
        let early = try await store.transaction { tx in
            try await tx.feedEvents(in: .workspace(workspace), after: position, kinds: nil, limit: 100)
        }
        #expect(early.events.isEmpty)
        #expect(early.next == position)

        releaseSignal.yield()
        try await holder.value
        try await FeedSettling.settle(store)
        let (events, next) = try await EventFeedConformanceTests.read(
            store, .workspace(workspace), from: position, count: 2)
        #expect(events.map(\.id) == [older.id] + events.dropFirst().map(\.id))
        #expect(events.map(\.kind) == [.workspaceMemberUpdated, .taskCreated])
        #expect(events.last?.taskID == newer.id)
        let after = try await store.transaction { tx in
            try await tx.feedEvents(in: .workspace(workspace), after: next, kinds: nil, limit: 100)
        }
        #expect(after.events.isEmpty)
    }

    @Test(
        "events whose transaction ids cross a power of ten (999 to 1000) are read in transaction order, all of them, in every feed"
    )
    func transactionIDsOfMoreDigits() async throws {
        // A fresh cluster's transaction ids start below 1000, so its feed crosses from three digits to four.
        let cluster = try await ThrowawayCluster()
        try await cluster.start()
        var logger = Logger(label: "taskd.test.xid")
        logger.logLevel = .critical
        let store = PostgresStore(
            url: try DatabaseURL(cluster.url()), pool: PoolSettings(size: 2, timeout: .seconds(20)),
            listensForEvents: false, logger: logger)
        let runner = Task.detached { _ = try? await store.run() }
        try await store.migrate()
        let world = TestWorld(store: store)
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        func currentTransactionID() async throws -> UInt64 {
            try await store.transaction { tx in
                try await (tx as? PostgresTransaction)?.lockedRows("SELECT pg_current_xact_id()::text") { row in
                    UInt64(try row.decode(String.self)) ?? 0
                }.first ?? 0
            }
        }
        #expect(try await currentTransactionID() < 990, "a fresh cluster starts below 1000")
        while try await currentTransactionID() < 990 {}
        var created: [TaskID] = []
        for index in 0..<20 {
            created.append(try await world.tasks.create(alice, NewTask(title: "T\(index)", projectID: project.id)).id)
        }
        #expect(try await currentTransactionID() > 1000, "the tasks' transactions crossed 1000")
        try await FeedSettling.settle(store)

        let stored = try await cluster.sql(
            "SELECT string_agg(kind, ',' ORDER BY xid, sequence) FROM activity_events"
        ).split(separator: ",")
        let projectCount =
            Int(
                try await cluster.sql("SELECT count(*) FROM activity_events WHERE project_id = '\(project.id)'")) ?? 0
        for (scope, count) in [(FeedScope.workspace(workspace), stored.count), (.project(project.id), projectCount)] {
            let (events, _) = try await EventFeedConformanceTests.read(store, scope, count: count, pageSize: 3)
            let tasks = events.filter { $0.kind == .taskCreated }.compactMap(\.taskID)
            #expect(tasks.count == 20 && Set(tasks).count == 20, "\(scope): \(tasks.count) task_created")
            // One after the other, each in a transaction of its own: their transaction ids grow with them.
            #expect(tasks == created, "\(scope): in the order of their transactions")
        }
        let (all, _) = try await EventFeedConformanceTests.read(
            store, .workspace(workspace), count: stored.count, pageSize: 3)
        #expect(all.map(\.kind.rawValue) == stored.map(String.init))
        runner.cancel()
        await cluster.remove()
    }

    @Test("a commit through one store wakes the readers waiting on another store of the same database")
    func notificationsAcrossStores() async throws {
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let writer = try await StoreKind.makePostgresStore(schema: schema)
        let listener = try await StoreKind.makePostgresStore(schema: schema, listensForEvents: true)
        // The listener wakes its readers once when it starts listening.
        for _ in 0..<1000 where listener.eventSignal.generation == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let before = listener.eventSignal.generation
        #expect(before > 0)
        let world = TestWorld(store: writer)
        let alice = try await world.register("alice")
        _ = try await world.workspace(owner: alice)
        for _ in 0..<1000 where listener.eventSignal.generation == before {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(listener.eventSignal.generation > before, "the other store's commit woke this store's readers")
        #expect(writer.eventSignal.generation > 0, "the writing store woke its own readers itself")
    }

    @Test(
        "only a commit that queued webhook deliveries rings the delivery signal, in the writing store and in another store of the same database"
    )
    func deliverySignalAcrossStores() async throws {
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let writer = try await StoreKind.makePostgresStore(schema: schema)
        let listener = try await StoreKind.makePostgresStore(schema: schema, listensForEvents: true)
        for _ in 0..<1000 where listener.eventSignal.generation == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let world = TestWorld(store: writer)
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let (writerBefore, listenerBefore) = (writer.deliverySignal.generation, listener.deliverySignal.generation)
        let eventsBefore = listener.eventSignal.generation
        _ = try await world.tasks.create(alice, NewTask(title: "No webhook yet", workspaceID: workspace))
        for _ in 0..<1000 where listener.eventSignal.generation == eventsBefore {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(listener.eventSignal.generation > eventsBefore, "the event's notification arrived")
        #expect(writer.deliverySignal.generation == writerBefore, "no webhook, no delivery: the worker sleeps on")
        #expect(listener.deliverySignal.generation == listenerBefore)

        let webhooks = WebhookService(
            store: writer, targets: WebhookTargetPolicy(resolve: TestHosts.resolve), now: world.clock.now)
        _ = try await webhooks.create(
            alice, in: workspace, NewWebhook(url: "https://hooks.example.com/a", events: ["task_created"]))
        _ = try await world.tasks.create(alice, NewTask(title: "Delivered", workspaceID: workspace))
        #expect(writer.deliverySignal.generation > writerBefore, "the commit that queued a delivery rang")
        for _ in 0..<1000 where listener.deliverySignal.generation == listenerBefore {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(listener.deliverySignal.generation > listenerBefore, "and so did its notification, in the other store")
    }

    @Test("a notification's payload names its writer and whether deliveries were queued")
    func notificationPayload() {
        let plain = EventNotification(payload: "store-1")
        #expect(plain.writer == "store-1" && !plain.queuedDeliveries)
        let queued = EventNotification(payload: "store-1" + EventNotification.deliveriesMarker)
        #expect(queued.writer == "store-1" && queued.queuedDeliveries)
    }

    @Test("a cursor whose snapshot is forged is refused as a bad after, not a store error")
    func forgedSnapshot() async throws {
        let store = try await StoreKind.makePostgresStore()
        for snapshot in ["junk", "10:5:", "5:10:11", "5:10:7,6", "1:2:3:4", "99999999999999999999:1:"] {
            await #expect(throws: DomainError.invalid("after", "is not a cursor of this feed"), "\(snapshot)") {
                _ = try await store.transaction { tx in
                    try await tx.feedEvents(
                        in: .workspace(WorkspaceID(UUID())),
                        after: FeedPosition(transaction: 1, sequence: 0, committedBefore: snapshot), kinds: nil,
                        limit: 10)
                }
            }
        }
        let huge = try await store.transaction { tx in
            try await tx.feedEvents(
                in: .workspace(WorkspaceID(UUID())), after: FeedPosition(transaction: .max, sequence: .max),
                kinds: nil, limit: 10)
        }
        #expect(huge.events.isEmpty)
    }
}
