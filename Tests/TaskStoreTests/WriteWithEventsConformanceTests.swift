import Foundation
import TaskCore
import TaskTestSupport
import Testing

/// The writes that store a row and the events recording it together (one statement on PostgreSQL): on every store
/// the row and its events are kept together, and a write whose row is gone keeps neither.
@Suite("Store conformance: a write with its events")
struct WriteWithEventsConformanceTests {
    /// A `comment_*` event for `comment`.
    static func commentEvent(_ kind: ActivityEventKind, _ comment: TaskCore.Comment, by actor: UserID) -> ActivityEvent
    {
        ActivityEvent(
            id: ActivityID(UUID()), taskID: comment.taskID, workspaceID: comment.workspaceID, projectID: nil,
            actorID: actor, kind: kind, at: SteppingClock.start, changes: .none)
    }

    @Test(
        "a new comment and its edit are stored with their events; an edit of a comment that is gone stores neither",
        arguments: StoreKind.available)
    func commentWithEvents(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let task = try await world.tasks.create(alice, NewTask(title: "T", workspaceID: workspace))
        let comment = TaskCore.Comment(
            id: CommentID(UUID()), taskID: task.id, workspaceID: workspace, authorID: alice.id, body: "first",
            createdAt: SteppingClock.start, updatedAt: SteppingClock.start)
        let (edited, gone) = { () -> (TaskCore.Comment, TaskCore.Comment) in
            var edited = comment
            edited.body = "second"
            edited.isEdited = true
            edited.version += 1
            var gone = edited
            gone.id = CommentID(UUID())
            return (edited, gone)
        }()
        try await world.store.transaction { tx in
            try await tx.insertComment(comment, recording: [Self.commentEvent(.commentAdded, comment, by: alice.id)])
        }
        #expect(try await world.store.transaction { tx in try await tx.comment(comment.id) } == comment)
        let goneEvent = Self.commentEvent(.commentEdited, gone, by: alice.id)
        await #expect(throws: DomainError.notFound(.comment)) {
            try await world.store.transaction { tx in try await tx.updateComment(gone, recording: [goneEvent]) }
        }
        try await world.store.transaction { tx in
            try await tx.updateComment(edited, recording: [Self.commentEvent(.commentEdited, edited, by: alice.id)])
        }
        #expect(try await world.store.transaction { tx in try await tx.comment(comment.id) } == edited)
        #expect(try await world.store.transaction { tx in try await tx.comment(gone.id) } == nil)

        try await FeedSettling.settle(world.store)
        let (events, next) = try await EventFeedConformanceTests.read(world.store, .workspace(workspace), count: 4)
        #expect(events.map(\.kind) == [.workspaceMemberAdded, .taskCreated, .commentAdded, .commentEdited])
        #expect(events.suffix(2).allSatisfy { $0.taskID == task.id })
        let more = try await world.store.transaction { tx in
            try await tx.feedEvents(in: .workspace(workspace), after: next, kinds: nil, limit: 10)
        }
        #expect(more.events.isEmpty, "the edit of the vanished comment left no event")
    }

    /// An event of `kind` in `workspace` (and `project`).
    static func event(_ kind: ActivityEventKind, in workspace: WorkspaceID, project: ProjectID? = nil, by actor: UserID)
        -> ActivityEvent
    {
        ActivityEvent(
            id: ActivityID(UUID()), taskID: nil, workspaceID: workspace, projectID: project, actorID: actor,
            kind: kind, at: SteppingClock.start, changes: .none)
    }

    @Test(
        "a new workspace and a new project are stored with their creator's membership and their events; a failed one keeps none of them",
        arguments: StoreKind.available)
    func creationWithEvents(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let at = SteppingClock.start
        let workspace = Workspace(id: WorkspaceID(UUID()), name: "W", createdAt: at, updatedAt: at)
        let owner = WorkspaceMember(workspaceID: workspace.id, userID: alice.id, role: .owner, joinedAt: at)
        try await world.store.transaction { tx in
            try await tx.insertWorkspace(
                workspace, owner: owner,
                recording: [Self.event(.workspaceMemberAdded, in: workspace.id, by: alice.id)])
        }
        let project = Project(id: ProjectID(UUID()), workspaceID: workspace.id, name: "P", createdAt: at, updatedAt: at)
        let creator = ProjectMember(
            projectID: project.id, workspaceID: workspace.id, userID: alice.id, role: .admin, addedAt: at)
        let projectEvents = [
            Self.event(.projectCreated, in: workspace.id, project: project.id, by: alice.id),
            Self.event(.projectMemberAdded, in: workspace.id, project: project.id, by: alice.id),
        ]
        try await world.store.transaction { tx in
            try await tx.insertProject(project, creator: creator, recording: projectEvents)
        }
        // The same project again: its insert fails, and its transaction keeps nothing.
        let again = projectEvents.map { event in
            var copy = event
            copy.id = ActivityID(UUID())
            return copy
        }
        await #expect(throws: (any Error).self) {
            try await world.store.transaction { tx in
                try await tx.insertProject(project, creator: creator, recording: again)
            }
        }

        let (storedWorkspace, storedOwner, storedProject, storedCreator) = try await world.store.transaction { tx in
            (
                try await tx.workspace(workspace.id), try await tx.workspaceMember(workspace.id, alice.id),
                try await tx.project(project.id), try await tx.projectMember(project.id, alice.id)
            )
        }
        #expect(storedWorkspace == workspace && storedOwner == owner)
        #expect(storedProject == project && storedCreator == creator)
        try await FeedSettling.settle(world.store)
        let (events, next) = try await EventFeedConformanceTests.read(world.store, .workspace(workspace.id), count: 3)
        #expect(events.map(\.kind) == [.workspaceMemberAdded, .projectCreated, .projectMemberAdded])
        let more = try await world.store.transaction { tx in
            try await tx.feedEvents(in: .workspace(workspace.id), after: next, kinds: nil, limit: 10)
        }
        #expect(more.events.isEmpty, "the failed insert left no event")
    }
}
