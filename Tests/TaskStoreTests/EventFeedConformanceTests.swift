import Foundation
import TaskCore
import TaskTestSupport
import Testing

/// The event log read as feeds, on every store: every event committed is read exactly once, in one order, and a
/// rolled-back change leaves none.
@Suite("Store conformance: event feeds")
struct EventFeedConformanceTests {
    struct Rollback: Error {}

    /// Reads `scope` from `position` until `count` events were read (waiting for those held back), at most 20 s.
    static func read(
        _ store: any DataStore, _ scope: FeedScope, from position: FeedPosition = .start, count: Int, pageSize: Int = 7
    ) async throws -> (events: [ActivityEvent], next: FeedPosition) {
        var events: [ActivityEvent] = []
        var position = position
        for _ in 0..<2000 where events.count < count {
            let page = try await store.transaction { [position] tx in
                try await tx.feedEvents(in: scope, after: position, kinds: nil, limit: pageSize)
            }
            events += page.events
            position = page.next
            if page.events.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        }
        return (events, position)
    }

    @Test("a rolled-back change leaves no event; a committed one is read once", arguments: StoreKind.available)
    func rolledBack(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let lost = ActivityEvent(
            id: ActivityID(UUID()), taskID: nil, workspaceID: workspace, projectID: nil, actorID: alice.id,
            kind: .projectCreated, at: SteppingClock.start, changes: .none)
        await #expect(throws: Rollback.self) {
            try await world.store.transaction { tx in
                try await tx.appendEvents([lost])
                throw Rollback()
            }
        }
        _ = try await world.tasks.create(alice, NewTask(title: "Kept", workspaceID: workspace))
        try await FeedSettling.settle(world.store)
        let (events, next) = try await Self.read(world.store, .workspace(workspace), count: 2)
        #expect(events.map(\.kind) == [.workspaceMemberAdded, .taskCreated])
        let again = try await world.store.transaction { tx in
            try await tx.feedEvents(in: .workspace(workspace), after: next, kinds: nil, limit: 10)
        }
        #expect(again.events.isEmpty)
        #expect(again.next == next)
    }

    /// A `project_updated` event for `project`.
    static func projectUpdated(_ project: Project, by actor: UserID) -> ActivityEvent {
        ActivityEvent(
            id: ActivityID(UUID()), taskID: nil, workspaceID: project.workspaceID, projectID: project.id,
            actorID: actor, kind: .projectUpdated, at: SteppingClock.start, changes: .none)
    }

    @Test(
        "a project's change is stored with its event; a change of a project that is gone stores neither",
        arguments: StoreKind.available)
    func projectChangeWithEvent(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "Before"))
        let (renamed, gone) = { () -> (Project, Project) in
            var renamed = project
            renamed.name = "After"
            renamed.version += 1
            var gone = project
            gone.id = ProjectID(UUID())
            return (renamed, gone)
        }()
        let renaming = Self.projectUpdated(renamed, by: alice.id)
        let goneEvent = Self.projectUpdated(gone, by: alice.id)
        await #expect(throws: DomainError.notFound(.project)) {
            try await world.store.transaction { tx in try await tx.updateProject(gone, recording: [goneEvent]) }
        }
        try await world.store.transaction { tx in try await tx.updateProject(renamed, recording: [renaming]) }
        let stored = try await world.store.transaction { tx in try await tx.project(project.id) }
        #expect(stored == renamed)
        try await FeedSettling.settle(world.store)
        let (events, next) = try await Self.read(world.store, .workspace(workspace), count: 4)
        #expect(events.map(\.kind) == [.workspaceMemberAdded, .projectCreated, .projectMemberAdded, .projectUpdated])
        #expect(events.last?.projectID == project.id)
        let more = try await world.store.transaction { tx in
            try await tx.feedEvents(in: .workspace(workspace), after: next, kinds: nil, limit: 10)
        }
        #expect(more.events.isEmpty)
    }

    @Test(
        "eight writers at once while a reader follows the feed: every event read exactly once, in one order",
        arguments: StoreKind.available)
    func concurrentWriters(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let writers = 8
        let perWriter = 6
        let expected = 1 + writers * perWriter
        async let followed = Self.read(world.store, .workspace(workspace), count: expected, pageSize: 5)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for index in 0..<perWriter {
                        _ = try await world.tasks.create(
                            alice, NewTask(title: "w\(writer)-\(index)", workspaceID: workspace))
                    }
                }
            }
            try await group.waitForAll()
        }
        let (events, _) = try await followed
        #expect(events.count == expected)
        #expect(Set(events.map(\.id)).count == expected, "no event read twice")
        try await FeedSettling.settle(world.store)
        let (later, _) = try await Self.read(world.store, .workspace(workspace), count: expected, pageSize: 1000)
        #expect(later.map(\.id) == events.map(\.id), "a later reader sees the same order")
        if events.count != expected || later.map(\.id) != events.map(\.id) {
            Issue.record(
                """
                read: \(events.map { $0.id.description.suffix(4) })
                the log:
                \(await EventLogDump.lines(world.store, workspace: workspace))
                """)
        }
    }

    @Test("after now: nothing committed before, everything committed after", arguments: StoreKind.available)
    func fromNow(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        _ = try await world.tasks.create(alice, NewTask(title: "Before", workspaceID: workspace))
        let now = try await world.store.transaction { tx in try await tx.currentFeedPosition() }
        let after = try await world.tasks.create(alice, NewTask(title: "After", workspaceID: workspace))
        try await FeedSettling.settle(world.store)
        let (events, _) = try await Self.read(world.store, .workspace(workspace), from: now, count: 1)
        #expect(events.map(\.taskID) == [after.id])
    }

    @Test(
        "every kind of event, with its changes, in the workspace's and the project's feeds",
        arguments: StoreKind.available)
    func everyKind(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let workspace = try await world.workspace(owner: alice)
        _ = try await world.workspaces.addMember(alice, to: workspace, email: "bob@example.com", role: .member)
        _ = try await world.workspaces.changeRole(alice, in: workspace, userID: bob.id, to: .admin)
        let first = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "First"))
        let second = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "Second"))
        _ = try await world.projects.update(
            alice, id: first.id, ProjectPatch(name: .set("First!"), isArchived: .unchanged))
        _ = try await world.projectMembers.addMember(alice, to: first.id, userID: bob.id, role: .editor)
        _ = try await world.projectMembers.changeRole(alice, in: first.id, userID: bob.id, to: .viewer)
        let task = try await world.tasks.create(alice, NewTask(title: "T", projectID: first.id))
        _ = try await world.tasks.update(alice, id: task.id, TaskPatch(title: .set("U")))
        _ = try await world.tasks.update(alice, id: task.id, TaskPatch(status: .set(.done)))
        _ = try await world.tasks.update(alice, id: task.id, TaskPatch(status: .set(.todo)))
        let comment = try await world.comments.add(alice, to: task.id, body: "c")
        _ = try await world.comments.edit(alice, id: comment.id, body: "d")
        try await world.comments.delete(alice, id: comment.id)
        _ = try await world.tasks.update(alice, id: task.id, TaskPatch(projectID: .set(second.id)))
        try await world.tasks.delete(alice, id: task.id)
        _ = try await world.projectMembers.removeMember(alice, from: second.id, userID: alice.id)
        try await world.workspaces.removeMember(alice, from: workspace, userID: bob.id)
        try await world.projects.delete(alice, id: first.id)

        try await FeedSettling.settle(world.store)
        let (events, _) = try await Self.read(world.store, .workspace(workspace), count: 23, pageSize: 100)
        #expect(Set(events.map(\.kind)) == Set(ActivityEventKind.allCases))
        #expect(events.allSatisfy { $0.workspaceID == workspace && $0.actorID == alice.id })
        func only(_ kind: ActivityEventKind) -> [ActivityEvent] { events.filter { $0.kind == kind } }

        let bobAdded = only(.workspaceMemberAdded).last
        #expect(bobAdded?.changes == .member(bob.id, role: FieldChange(from: .null, to: .string("member"))))
        #expect(
            only(.workspaceMemberUpdated).first?.changes
                == .member(bob.id, role: FieldChange(from: .string("member"), to: .string("admin"))))
        #expect(
            only(.workspaceMemberRemoved).first?.changes
                == .member(bob.id, role: FieldChange(from: .string("admin"), to: .null)))
        #expect(
            only(.projectUpdated).first?.changes
                == .fields(["name": FieldChange(from: .string("First"), to: .string("First!"))]))
        #expect(only(.projectCreated).map(\.projectID) == [first.id, second.id])
        #expect(only(.projectCreated).first?.changes == ActivityChanges.none)
        #expect(only(.projectDeleted).map(\.projectID) == [first.id])
        // Removing bob from the workspace removed his role in the first project with it, recorded first.
        let removedRoles = only(.projectMemberRemoved)
        #expect(
            removedRoles.map(\.changes) == [
                .member(alice.id, role: FieldChange(from: .string("admin"), to: .null)),
                .member(bob.id, role: FieldChange(from: .string("viewer"), to: .null)),
            ])
        let moved = try #require(only(.taskMoved).first)
        #expect(moved.projectID == second.id && moved.formerProjectID == first.id && moved.taskID == task.id)
        #expect(only(.commentAdded).first?.changes == .comment(comment.id))

        let (firstFeed, _) = try await Self.read(world.store, .project(first.id), count: 15, pageSize: 100)
        let (secondFeed, _) = try await Self.read(world.store, .project(second.id), count: 5, pageSize: 100)
        #expect(firstFeed.count == 15 && secondFeed.count == 5)
        #expect(firstFeed.contains(moved) && secondFeed.contains(moved), "a move is in both projects' feeds")
        #expect(firstFeed.allSatisfy { $0.isInFeed(of: first.id) })
        #expect(secondFeed.allSatisfy { $0.isInFeed(of: second.id) })
        #expect(!secondFeed.contains { $0.kind == .taskCreated }, "the task was created in the first project")
        #expect(firstFeed.last?.kind == .projectDeleted, "\(firstFeed.map(\.kind.rawValue))")

        let onlyComments = try await world.store.transaction { tx in
            try await tx.feedEvents(
                in: .workspace(workspace), after: .start, kinds: [.commentAdded, .commentDeleted], limit: 100)
        }
        #expect(onlyComments.events.map(\.kind) == [.commentAdded, .commentDeleted])
        if onlyComments.events.map(\.kind) != [.commentAdded, .commentDeleted] {
            Issue.record("the log:\n\(await EventLogDump.lines(world.store, workspace: workspace))")
        }
    }

    @Test(
        "expired events are deleted in batches: each call deletes at most its limit (PostgreSQL) or all (memory)",
        arguments: StoreKind.available)
    func batchedExpiry(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        for index in 0..<4 {
            _ = try await world.tasks.create(alice, NewTask(title: "Old \(index)", workspaceID: workspace))
        }
        let cutoff = world.clock.now()
        let recent = try await world.tasks.create(alice, NewTask(title: "Recent", workspaceID: workspace))
        var batches: [Int] = []
        while true {
            let deleted = try await world.store.transaction { tx in try await tx.deleteEvents(before: cutoff, limit: 2)
            }
            batches.append(deleted)
            if deleted < 2 { break }
        }
        #expect(batches.reduce(0, +) == 5, "the owner's membership and four task_created")
        if kind == .postgres { #expect(batches == [2, 2, 1]) }
        try await FeedSettling.settle(world.store)
        let (events, _) = try await Self.read(world.store, .workspace(workspace), count: 1, pageSize: 100)
        #expect(events.map(\.taskID) == [recent.id])
    }

    @Test("events older than the cut-off are deleted, newer ones kept", arguments: StoreKind.available)
    func expiry(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let old = try await world.tasks.create(alice, NewTask(title: "Old", workspaceID: workspace))
        world.clock.advance(by: 31 * 24 * 3600)
        let recent = try await world.tasks.create(alice, NewTask(title: "Recent", workspaceID: workspace))
        try await world.events.removeExpiredEvents()
        try await FeedSettling.settle(world.store)
        let (events, _) = try await Self.read(world.store, .workspace(workspace), count: 1, pageSize: 100)
        #expect(events.map(\.taskID) == [recent.id])
        let activity = try await world.store.transaction { tx in try await tx.events(of: old.id, after: nil, limit: 10)
        }
        #expect(activity.isEmpty)
    }
}
