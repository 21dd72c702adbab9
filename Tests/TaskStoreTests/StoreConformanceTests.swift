import Foundation
import TaskCore
import TaskTestSupport
import Testing

/// One contract for every store: what the use cases rely on, checked against each implementation alike.
@Suite("Store conformance")
struct StoreConformanceTests {
    struct Rollback: Error {}

    @Test("a transaction that throws keeps none of its changes", arguments: StoreKind.available)
    func rollback(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let ids = CountingIDGenerator()
        let user = Fixtures.user("alice", ids: ids)
        await #expect(throws: Rollback.self) {
            try await store.transaction { tx in
                try await tx.insertUser(user)
                throw Rollback()
            }
        }
        #expect(try await store.transaction { tx in try await tx.user(user.id) } == nil)
    }

    @Test(
        "a transaction inside another joins it: an inner failure, let out, undoes the whole",
        arguments: StoreKind.available)
    func joinedInnerFailure(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let ids = CountingIDGenerator()
        let alice = Fixtures.user("alice", ids: ids, at: 1)
        let bob = Fixtures.user("bob", ids: ids, at: 2)
        await #expect(throws: DomainError.conflict(.emailTaken)) {
            try await store.transaction { tx in
                try await tx.insertUser(alice)
                try await store.transaction { inner in
                    try await inner.insertUser(bob)
                    try await inner.insertUser(Fixtures.user("alice", ids: ids))
                }
            }
        }
        #expect(try await store.transaction { tx in try await tx.users(after: nil, limit: 10) }.isEmpty)
    }

    @Test(
        "a transaction inside another joins it: an outer failure undoes the inner part too",
        arguments: StoreKind.available)
    func joinedOuterFailure(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let ids = CountingIDGenerator()
        let alice = Fixtures.user("alice", ids: ids, at: 1)
        let bob = Fixtures.user("bob", ids: ids, at: 2)
        await #expect(throws: Rollback.self) {
            try await store.transaction { tx in
                try await tx.insertUser(alice)
                try await store.transaction { inner in try await inner.insertUser(bob) }
                throw Rollback()
            }
        }
        #expect(try await store.transaction { tx in try await tx.users(after: nil, limit: 10) }.isEmpty)
    }

    @Test(
        "a transaction that has not read or written yet holds up no other transaction",
        .timeLimit(.minutes(3)), arguments: StoreKind.available)
    func lazyTurn(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let ids = CountingIDGenerator()
        let alice = Fixtures.user("alice", ids: ids, at: 1)
        let bob = Fixtures.user("bob", ids: ids, at: 2)
        let (opened, openedSignal) = AsyncStream<Void>.makeStream()
        let (release, releaseSignal) = AsyncStream<Void>.makeStream()
        let idle = Task {
            try await store.transaction { tx in
                openedSignal.yield()
                for await _ in release { break }
                try await tx.insertUser(bob)
            }
        }
        for await _ in opened { break }
        // Would wait forever for the idle transaction if opening it had taken the store's turn.
        try await store.transaction { tx in try await tx.insertUser(alice) }
        releaseSignal.yield()
        try await idle.value
        let names = try await store.transaction { tx in try await tx.users(after: nil, limit: 10) }.map(\.name)
        #expect(names.sorted() == ["alice", "bob"])
    }

    @Test(
        "a read waits for no changing transaction and sees only committed rows",
        .timeLimit(.minutes(3)), arguments: StoreKind.available)
    func readsDoNotWaitForWriters(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let ids = CountingIDGenerator()
        let alice = Fixtures.user("alice", ids: ids, at: 1)
        let bob = Fixtures.user("bob", ids: ids, at: 2)
        try await store.transaction { tx in try await tx.insertUser(alice) }
        let writer = await Self.holdOpen(store) { tx in
            var renamed = alice
            renamed.name = "alice, renamed"
            try await tx.updateUser(renamed)
            try await tx.insertUser(bob)
        }
        // Would wait forever for the writer, which holds its change open until released, if reads waited for it.
        let seen = try await store.transaction { tx in
            (try await tx.user(alice.id)?.name, try await tx.user(bob.id), try await tx.users(after: nil, limit: 10))
        }
        #expect(seen.0 == "alice", "the uncommitted rename is not seen")
        #expect(seen.1 == nil, "the uncommitted insert is not seen")
        #expect(seen.2.map(\.name) == ["alice"])
        writer.release()
        try await writer.committed.value
        let after = try await store.transaction { tx in try await tx.users(after: nil, limit: 10) }.map(\.name)
        #expect(after.sorted() == ["alice, renamed", "bob"])
    }

    @Test(
        "a locking read waits for the transaction that changed the row and returns its change",
        .timeLimit(.minutes(3)), arguments: StoreKind.available)
    func lockingReadsWaitForWriters(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let ids = CountingIDGenerator()
        let alice = Fixtures.user("alice", ids: ids, at: 1)
        try await store.transaction { tx in try await tx.insertUser(alice) }
        let writer = await Self.holdOpen(store) { tx in
            var renamed = try #require(try await tx.lockUser(alice.id))
            renamed.name = "alice, renamed"
            try await tx.updateUser(renamed)
        }
        let locker = Task {
            try await store.transaction { tx in try await tx.lockUser(alice.id)?.name }
        }
        for _ in 0..<100 { await Task.yield() }
        writer.release()
        try await writer.committed.value
        // Had the locking read not waited, it would have returned the name from before the writer's commit.
        #expect(try await locker.value == "alice, renamed")
    }

    /// Runs `change` in a transaction of its own that stays open, once `change` has run, until `release` is
    /// called; returns when `change` has run (or failed).
    static func holdOpen(
        _ store: any DataStore, _ change: @escaping @Sendable (any StoreTransaction) async throws -> Void
    ) async -> (release: @Sendable () -> Void, committed: Task<Void, any Error>) {
        let (changed, changedSignal) = AsyncStream<Void>.makeStream()
        let (release, releaseSignal) = AsyncStream<Void>.makeStream()
        let committed = Task {
            defer { changedSignal.finish() }
            try await store.transaction { tx in
                try await change(tx)
                changedSignal.yield()
                for await _ in release { break }
            }
        }
        for await _ in changed { break }
        return ({ releaseSignal.yield() }, committed)
    }

    @Test("users round-trip; emails are unique", arguments: StoreKind.available)
    func users(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let ids = CountingIDGenerator()
        var aliceDraft = Fixtures.user("alice", ids: ids, at: 1)
        aliceDraft.personalWorkspaceID = ids.make()
        let alice = aliceDraft
        let bob = Fixtures.user("bob", ids: ids, at: 2)
        try await store.transaction { tx in
            try await tx.insertUser(alice)
            try await tx.insertUser(bob)
        }
        #expect(try await store.transaction { tx in try await tx.user(alice.id) } == alice)
        #expect(try await store.transaction { tx in try await tx.user(email: bob.email) } == bob)
        await #expect(throws: DomainError.conflict(.emailTaken)) {
            try await store.transaction { tx in
                var clash = Fixtures.user("alice", ids: ids)
                clash.name = "Other"
                try await tx.insertUser(clash)
            }
        }
        await #expect(throws: DomainError.conflict(.emailTaken)) {
            try await store.transaction { tx in
                var renamed = bob
                renamed.email = alice.email
                try await tx.updateUser(renamed)
            }
        }
        let first = try await store.transaction { tx in try await tx.users(after: nil, limit: 1) }
        let rest = try await store.transaction { tx in
            try await tx.users(after: PagePosition(value: .date(first[0].createdAt), id: first[0].id.uuid), limit: 5)
        }
        #expect(first.map(\.name) == ["alice"] && rest.map(\.name) == ["bob"])
    }

    @Test("a stale version is refused and changes nothing; a missing task is not found", arguments: StoreKind.available)
    func staleVersion(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let world = TestWorld(store: store)
        let alice = try await world.register("alice")
        let task = try await world.tasks.create(alice, NewTask(title: "T"))
        var stale = task
        stale.title = "Lost"
        stale.version = 2
        await #expect(throws: DomainError.versionMismatch(currentTag: "1")) {
            try await store.transaction { [stale] tx in try await tx.updateTask(stale, expectedVersion: 7) }
        }
        #expect(try await world.tasks.task(alice, id: task.id).title == "T")
        var ghost = task
        ghost.id = TaskID(UUID())
        await #expect(throws: DomainError.notFound(.task)) {
            try await store.transaction { [ghost] tx in try await tx.updateTask(ghost, expectedVersion: 1) }
        }
    }

    @Test("every task field round-trips, dates at millisecond precision", arguments: StoreKind.available)
    func taskRoundTrip(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let world = TestWorld(store: store)
        let alice = try await world.register("alice")
        let due = try #require(Timestamp.parse("2026-12-24T18:30:15.987+02:00"))
        let task = try await world.tasks.create(
            alice,
            NewTask(
                title: "Ünïcødé 🚀 it's \"quoted\"; DROP TABLE tasks;--", description: "line\nbreak", status: .done,
                priority: .urgent, dueDate: due, startDate: due.addingTimeInterval(-86_400), tags: ["a b", "{x}", "ü"]))
        let read = try await world.tasks.task(alice, id: task.id)
        #expect(read == task)
        #expect(Timestamp.format(try #require(read.dueDate)) == "2026-12-24T16:30:15.987Z")
    }

    @Test("deleting a workspace deletes everything in it", arguments: StoreKind.available)
    func workspaceCascade(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let world = TestWorld(store: store)
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .member)])
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        let task = try await world.tasks.create(alice, NewTask(title: "T", projectID: project.id))
        let comment = try await world.comments.add(alice, to: task.id, body: "c")
        try await world.workspaces.delete(alice, id: workspace)
        let leftovers = try await store.transaction { tx in
            [
                try await tx.workspace(workspace) != nil,
                try await tx.workspaceMember(workspace, bob.id) != nil,
                try await tx.project(project.id) != nil,
                try await tx.projectMember(project.id, alice.id) != nil,
                try await tx.task(task.id) != nil,
                try await tx.comment(comment.id) != nil,
                !(try await tx.events(of: task.id, after: nil, limit: 10).isEmpty),
            ]
        }
        #expect(leftovers == Array(repeating: false, count: 7))
    }

    @Test(
        "deleting a project deletes its tasks, comments and members, keeps their events, and records project_deleted",
        arguments: StoreKind.available)
    func projectCascade(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let world = TestWorld(store: store)
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        let task = try await world.tasks.create(alice, NewTask(title: "T", projectID: project.id))
        let comment = try await world.comments.add(alice, to: task.id, body: "c")
        let other = try await world.tasks.create(alice, NewTask(title: "Elsewhere", workspaceID: workspace))
        try await world.projects.delete(alice, id: project.id)
        let (gone, kept, kinds) = try await store.transaction { tx in
            (
                [
                    try await tx.task(task.id) == nil, try await tx.comment(comment.id) == nil,
                    try await tx.projectMember(project.id, alice.id) == nil,
                ],
                try await tx.task(other.id) != nil,
                try await tx.events(of: task.id, after: nil, limit: 10).map(\.event.kind)
            )
        }
        #expect(gone == [true, true, true] && kept)
        #expect(kinds == [.taskCreated, .commentAdded])
        try await FeedSettling.settle(store)
        let feed = try await store.transaction { tx in
            try await tx.feedEvents(in: .project(project.id), after: .start, kinds: nil, limit: 100)
        }
        #expect(
            feed.events.map(\.kind) == [
                .projectCreated, .projectMemberAdded, .taskCreated, .commentAdded, .projectDeleted,
            ])
    }

    @Test("descendants come parents first, at any depth", arguments: StoreKind.available)
    func descendants(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let world = TestWorld(store: store)
        let alice = try await world.register("alice")
        let root = try await world.tasks.create(alice, NewTask(title: "root"))
        let child = try await world.tasks.create(alice, NewTask(title: "child", parentID: root.id))
        let grandchild = try await world.tasks.create(alice, NewTask(title: "grandchild", parentID: child.id))
        let sibling = try await world.tasks.create(alice, NewTask(title: "sibling", parentID: root.id))
        let found = try await store.transaction { tx in try await tx.descendants(of: root.id, locking: true) }
        #expect(Set(found.map(\.id)) == [child.id, grandchild.id, sibling.id])
        let grandchildIndex = try #require(found.firstIndex { $0.id == grandchild.id })
        let childIndex = try #require(found.firstIndex { $0.id == child.id })
        #expect(childIndex < grandchildIndex)
    }

    @Test("members lists carry email and name, in joining order", arguments: StoreKind.available)
    func memberLists(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let world = TestWorld(store: store)
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .guest)])
        let members = try await store.transaction { tx in
            try await tx.workspaceMembers(of: workspace, after: nil, limit: 10)
        }
        #expect(members.map(\.email.value) == ["alice@example.com", "bob@example.com"])
        #expect(members.map(\.role) == ["owner", "guest"])
        let owners = try await store.transaction { tx in try await tx.lockOwners(of: workspace) }
        #expect(owners == [alice.id])
        await #expect(throws: DomainError.conflict(.alreadyMember)) {
            try await store.transaction { tx in
                try await tx.insertWorkspaceMember(
                    WorkspaceMember(workspaceID: workspace, userID: bob.id, role: .member, joinedAt: Fixtures.instant())
                )
            }
        }
    }

    @Test(
        "a task inserted or updated with the events that record it: both are stored, or neither (a rollback, a stale version)",
        arguments: StoreKind.available)
    func taskInsertedWithEvents(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let world = TestWorld(store: store)
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let ids = RandomIDGenerator()
        @Sendable func created(_ task: TaskItem) -> ActivityEvent {
            ActivityEvent(
                id: ids.make(), taskID: task.id, workspaceID: workspace, projectID: nil, actorID: alice.id,
                kind: .taskCreated, at: Fixtures.instant(), changes: .none)
        }
        let kept = Fixtures.task("Kept", in: workspace, owner: alice.id, ids: ids)
        let event = created(kept)
        try await store.transaction { tx in try await tx.insertTask(kept, recording: [event]) }
        let rolledBack = Fixtures.task("Rolled back", in: workspace, owner: alice.id, ids: ids)
        struct Rollback: Error {}
        await #expect(throws: Rollback.self) {
            try await store.transaction { tx in
                try await tx.insertTask(rolledBack, recording: [created(rolledBack)])
                throw Rollback()
            }
        }
        let stored = try await store.transaction { tx in
            (
                try await tx.task(kept.id), try await tx.events(of: kept.id, after: nil, limit: 10).map(\.event),
                try await tx.task(rolledBack.id), try await tx.events(of: rolledBack.id, after: nil, limit: 10)
            )
        }
        #expect(stored.0 == kept && stored.1 == [event])
        #expect(stored.2 == nil && stored.3.isEmpty)

        var draft = kept
        draft.title = "Renamed"
        draft.version = kept.version + 1
        let renamed = draft
        let renaming = created(renamed)
        await #expect(throws: DomainError.versionMismatch(currentTag: "\(kept.version)")) {
            try await store.transaction { tx in
                try await tx.updateTask(renamed, expectedVersion: kept.version + 5, recording: [renaming])
            }
        }
        try await store.transaction { tx in
            try await tx.updateTask(renamed, expectedVersion: kept.version, recording: [renaming])
        }
        let after = try await store.transaction { tx in
            (try await tx.task(kept.id), try await tx.events(of: kept.id, after: nil, limit: 10).map(\.event))
        }
        #expect(after.0 == renamed)
        #expect(after.1 == [event, renaming], "the refused update appended nothing, the one made appended its event")
    }

    @Test("activity keeps the append order and pages by it", arguments: StoreKind.available)
    func activityOrder(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let world = TestWorld(store: store)
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        let task = try await world.tasks.create(alice, NewTask(title: "T", workspaceID: workspace))
        _ = try await world.tasks.update(
            alice, id: task.id, TaskPatch(title: .set("U"), isCompleted: .set(true), projectID: .set(project.id)))
        let events = try await world.activity.activity(alice, of: task.id, page: .first).items
        #expect(events.map(\.kind) == [.taskCreated, .taskCompleted, .taskMoved, .taskUpdated])
        let second = try await world.activity.activity(alice, of: task.id, page: PageRequest(limit: 2))
        let rest = try await world.activity.activity(
            alice, of: task.id, page: PageRequest(limit: 2, cursor: second.nextCursor))
        #expect((second.items + rest.items).map(\.id) == events.map(\.id))
        #expect(events[3].changes == .fields(["title": FieldChange(from: .string("T"), to: .string("U"))]))
    }
}

@Suite("Store conformance: missing rows")
struct MissingRowTests {
    @Test(
        "every update of a row that is gone throws notFound naming it; deleting it does nothing",
        arguments: StoreKind.available)
    func updatesOfMissingRows(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let ids = CountingIDGenerator()
        let user = Fixtures.user("ghost", ids: ids)
        let workspace = Fixtures.workspace("Gone", ids: ids)
        let project = Fixtures.project("Gone", in: workspace.id, ids: ids)
        let task = Fixtures.task("Gone", in: workspace.id, owner: user.id, ids: ids)
        let comment = Comment(
            id: ids.make(), taskID: task.id, workspaceID: workspace.id, authorID: user.id, body: "b",
            createdAt: Fixtures.instant(), updatedAt: Fixtures.instant())
        let cases: [(DomainError, @Sendable (any StoreTransaction) async throws -> Void)] = [
            (.notFound(.user), { try await $0.updateUser(user) }),
            (.notFound(.workspace), { try await $0.updateWorkspace(workspace) }),
            (
                .notFound(.member),
                {
                    try await $0.updateWorkspaceMember(
                        WorkspaceMember(
                            workspaceID: workspace.id, userID: user.id, role: .admin, joinedAt: Fixtures.instant()))
                }
            ),
            (.notFound(.project), { try await $0.updateProject(project) }),
            (
                .notFound(.projectMember),
                {
                    try await $0.updateProjectMember(
                        ProjectMember(
                            projectID: project.id, workspaceID: workspace.id, userID: user.id, role: .admin,
                            addedAt: Fixtures.instant()))
                }
            ),
            (.notFound(.task), { try await $0.updateTask(task, expectedVersion: 1) }),
            (.notFound(.comment), { try await $0.updateComment(comment) }),
        ]
        for (expected, update) in cases {
            await #expect(throws: expected) { try await store.transaction { tx in try await update(tx) } }
        }
        try await store.transaction { tx in
            try await tx.deleteComment(comment.id)
            try await tx.deleteTasks([task.id])
            try await tx.deleteProject(project.id)
            try await tx.deleteWorkspace(workspace.id)
            try await tx.deleteUser(user.id)
        }
    }
}
