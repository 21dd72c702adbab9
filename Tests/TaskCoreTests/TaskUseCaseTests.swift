import Foundation
import TaskTestSupport
import Testing

@testable import TaskCore

@Suite("Tasks")
struct TaskUseCaseTests {
    let world = TestWorld()

    /// Alice owns a workspace with a project; Bob is a member (editor by default), Vic a viewer, Gus a guest.
    struct Team {
        let alice: Caller, bob: Caller, vic: Caller, gus: Caller
        let workspace: WorkspaceID
        let project: Project
    }

    func team() async throws -> Team {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let vic = try await world.register("vic")
        let gus = try await world.register("gus")
        let workspace = try await world.workspace(
            owner: alice, members: [(bob, .member), (vic, .member), (gus, .guest)])
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        _ = try await world.projectMembers.addMember(alice, to: project.id, userID: vic.id, role: .viewer)
        return Team(alice: alice, bob: bob, vic: vic, gus: gus, workspace: workspace, project: project)
    }

    @Test("creating in a project: editor allowed, viewer forbidden, guest without a role sees no project")
    func createInProject() async throws {
        let t = try await team()
        let task = try await world.tasks.create(
            t.bob,
            NewTask(title: " Ship ", projectID: t.project.id, status: .done, priority: .high, tags: ["a", "a", "b"]))
        #expect(task.title == "Ship" && task.workspaceID == t.workspace && task.ownerID == t.bob.id)
        #expect(task.isCompleted && task.completedAt != nil && task.version == 1 && task.tags == ["a", "b"])
        await #expect(throws: DomainError.forbidden) {
            try await world.tasks.create(t.vic, NewTask(title: "x", projectID: t.project.id))
        }
        await #expect(throws: DomainError.invalid("project_id", "does not name a project you can see")) {
            try await world.tasks.create(t.gus, NewTask(title: "x", projectID: t.project.id))
        }
    }

    @Test("creating without a project: personal workspace by default; member allowed, guest forbidden")
    func createWithoutProject() async throws {
        let t = try await team()
        let personal = try await world.tasks.create(t.bob, NewTask(title: "Mine"))
        let bobUser = try await world.accounts.me(t.bob)
        #expect(personal.workspaceID == bobUser.personalWorkspaceID && personal.projectID == nil)
        _ = try await world.tasks.create(t.bob, NewTask(title: "Team", workspaceID: t.workspace))
        await #expect(throws: DomainError.forbidden) {
            try await world.tasks.create(t.gus, NewTask(title: "x", workspaceID: t.workspace))
        }
    }

    @Test("the assignee must be a workspace member who can see the project")
    func assignee() async throws {
        let t = try await team()
        let stranger = try await world.register("stranger")
        await #expect(throws: DomainError.invalid("assignee_id", "does not name a member of the task's workspace")) {
            try await world.tasks.create(t.alice, NewTask(title: "x", projectID: t.project.id, assigneeID: stranger.id))
        }
        await #expect(throws: DomainError.invalid("assignee_id", "names a user who cannot see the task's project")) {
            try await world.tasks.create(t.alice, NewTask(title: "x", projectID: t.project.id, assigneeID: t.gus.id))
        }
        let task = try await world.tasks.create(
            t.alice, NewTask(title: "x", projectID: t.project.id, assigneeID: t.vic.id))
        #expect(task.assigneeID == t.vic.id)
    }

    @Test("tasks without a project: owner, assignee and workspace admins see them; other members do not")
    func projectlessVisibility() async throws {
        let t = try await team()
        let task = try await world.tasks.create(
            t.bob, NewTask(title: "Private", workspaceID: t.workspace, assigneeID: t.gus.id))
        #expect(try await world.tasks.task(t.gus, id: task.id).id == task.id)
        #expect(try await world.tasks.task(t.alice, id: task.id).id == task.id)
        await #expect(throws: DomainError.notFound(.task)) { try await world.tasks.task(t.vic, id: task.id) }
        _ = try await world.tasks.update(t.gus, id: task.id, TaskPatch(status: .set(.inProgress)))
        await #expect(throws: DomainError.notFound(.task)) {
            try await world.tasks.update(t.vic, id: task.id, TaskPatch(title: .set("x")))
        }
    }

    @Test("partial update: null clears, omitted fields stay, version and ETag advance; viewer forbidden")
    func patch() async throws {
        let t = try await team()
        let due = Date(timeIntervalSince1970: 1_800_000_000)
        let task = try await world.tasks.create(
            t.bob,
            NewTask(
                title: "T", description: "D", projectID: t.project.id, assigneeID: t.bob.id, dueDate: due, tags: ["x"]))
        let patched = try await world.tasks.update(
            t.bob, id: task.id, TaskPatch(description: .set(nil), assigneeID: .set(nil), dueDate: .set(nil)))
        #expect(patched.description == "" && patched.assigneeID == nil && patched.dueDate == nil)
        #expect(
            patched.title == "T" && patched.tags == ["x"] && patched.version == 2 && patched.updatedAt > task.updatedAt)
        await #expect(throws: DomainError.forbidden) {
            try await world.tasks.update(t.vic, id: task.id, TaskPatch(title: .set("x")))
        }
        await #expect(throws: DomainError.invalid("title", "must not be null")) {
            try await world.tasks.update(t.bob, id: task.id, TaskPatch(title: .set(nil)))
        }
    }

    @Test("a stale If-Match is refused and changes nothing; the current one is accepted")
    func optimisticConcurrency() async throws {
        let t = try await team()
        let task = try await world.tasks.create(t.bob, NewTask(title: "T", projectID: t.project.id))
        _ = try await world.tasks.update(t.bob, id: task.id, TaskPatch(title: .set("T2")), expectedVersion: 1)
        await #expect(throws: DomainError.versionMismatch(currentTag: "2")) {
            try await world.tasks.update(t.bob, id: task.id, TaskPatch(title: .set("T3")), expectedVersion: 1)
        }
        await #expect(throws: DomainError.versionMismatch(currentTag: "2")) {
            try await world.tasks.delete(t.bob, id: task.id, expectedVersion: 1)
        }
        #expect(try await world.tasks.task(t.bob, id: task.id).title == "T2")
    }

    @Test("a request that changes nothing keeps the version and records nothing")
    func noOp() async throws {
        let t = try await team()
        let task = try await world.tasks.create(t.bob, NewTask(title: "T", projectID: t.project.id, status: .done))
        let same = try await world.tasks.update(t.bob, id: task.id, TaskPatch(title: .set("T")))
        let completedAgain = try await world.tasks.complete(t.bob, id: task.id)
        #expect(same.version == 1 && completedAgain.version == 1 && completedAgain.completedAt == task.completedAt)
        #expect(try await world.activity.activity(t.bob, of: task.id, page: .first).items.map(\.kind) == [.taskCreated])
    }

    @Test("complete and reopen keep status, completed and completed_at consistent")
    func completeReopen() async throws {
        let t = try await team()
        let task = try await world.tasks.create(
            t.bob, NewTask(title: "T", projectID: t.project.id, status: .inProgress))
        let done = try await world.tasks.complete(t.bob, id: task.id)
        #expect(done.status == .done && done.isCompleted && done.completedAt != nil)
        let reopened = try await world.tasks.complete(t.bob, id: task.id, completed: false)
        #expect(reopened.status == .todo && !reopened.isCompleted && reopened.completedAt == nil)
        await #expect(throws: DomainError.invalid("completed", "contradicts status")) {
            try await world.tasks.update(t.bob, id: task.id, TaskPatch(status: .set(.todo), isCompleted: .set(true)))
        }
        let kinds = try await world.activity.activity(t.bob, of: task.id, page: .first).items.map(\.kind)
        #expect(kinds == [.taskCreated, .taskCompleted, .taskReopened])
    }

    @Test("full replace resets omitted fields to their defaults")
    func replace() async throws {
        let t = try await team()
        let task = try await world.tasks.create(
            t.bob,
            NewTask(
                title: "T", description: "D", projectID: t.project.id, status: .done, priority: .urgent, tags: ["x"]))
        let replaced = try await world.tasks.update(t.bob, id: task.id, .replacing(title: "New"))
        #expect(replaced.title == "New" && replaced.description == "" && replaced.status == .todo)
        #expect(replaced.priority == .none && replaced.tags.isEmpty && replaced.completedAt == nil)
        #expect(replaced.projectID == t.project.id, "the project stays when PUT does not name one")
    }

    @Test("a subtask list: in a project every subtask shows to whoever sees the parent; without one, only the own")
    func subtaskListVisibility() async throws {
        let t = try await team()
        let parent = try await world.tasks.create(t.alice, NewTask(title: "Parent", projectID: t.project.id))
        let bobs = try await world.tasks.create(t.bob, NewTask(title: "Bob's", parentID: parent.id))
        #expect(try await world.tasks.subtasks(t.vic, of: parent.id, page: .first).items.map(\.id) == [bobs.id])
        await #expect(throws: DomainError.notFound(.task)) {
            try await world.tasks.subtasks(t.gus, of: parent.id, page: .first)
        }

        let personal = try await world.tasks.create(
            t.bob, NewTask(title: "Loose", workspaceID: t.workspace, assigneeID: t.vic.id))
        let vics = try await world.tasks.create(t.vic, NewTask(title: "Vic's", parentID: personal.id))
        let bobsOwn = try await world.tasks.create(t.bob, NewTask(title: "Bob's own", parentID: personal.id))
        #expect(try await world.tasks.subtasks(t.bob, of: personal.id, page: .first).items.map(\.id) == [bobsOwn.id])
        #expect(try await world.tasks.subtasks(t.vic, of: personal.id, page: .first).items.map(\.id) == [vics.id])
        #expect(
            try await world.tasks.subtasks(t.alice, of: personal.id, page: .first).items.map(\.id)
                == [vics.id, bobsOwn.id])
    }

    @Test("moving a task moves its subtasks; each records task_moved; a subtask cannot move alone")
    func move() async throws {
        let t = try await team()
        let target = try await world.projects.create(t.alice, NewProject(workspaceID: t.workspace, name: "Target"))
        let parent = try await world.tasks.create(t.bob, NewTask(title: "Parent", projectID: t.project.id))
        let child = try await world.tasks.create(t.bob, NewTask(title: "Child", parentID: parent.id))
        #expect(child.projectID == t.project.id)
        await #expect(throws: DomainError.self) {
            try await world.tasks.update(t.bob, id: child.id, TaskPatch(projectID: .set(target.id)))
        }
        let moved = try await world.tasks.update(
            t.bob, id: parent.id, TaskPatch(title: .set("Moved"), projectID: .set(target.id)))
        #expect(moved.projectID == target.id)
        #expect(try await world.tasks.task(t.bob, id: child.id).projectID == target.id)
        #expect(
            try await world.activity.activity(t.bob, of: parent.id, page: .first).items.map(\.kind) == [
                .taskCreated, .taskMoved, .taskUpdated,
            ])
        #expect(
            try await world.activity.activity(t.bob, of: child.id, page: .first).items.map(\.kind) == [
                .taskCreated, .taskMoved,
            ])
    }

    @Test("moving needs editor on the target too")
    func moveNeedsEditorOnTarget() async throws {
        let t = try await team()
        let target = try await world.projects.create(t.alice, NewProject(workspaceID: t.workspace, name: "Target"))
        _ = try await world.projectMembers.addMember(t.alice, to: target.id, userID: t.bob.id, role: .viewer)
        let task = try await world.tasks.create(t.bob, NewTask(title: "T", projectID: t.project.id))
        await #expect(throws: DomainError.forbidden) {
            try await world.tasks.update(t.bob, id: task.id, TaskPatch(projectID: .set(target.id)))
        }
    }

    @Test("deleting removes subtasks and comments, records task_deleted for each, and hides the activity")
    func delete() async throws {
        let t = try await team()
        let parent = try await world.tasks.create(t.bob, NewTask(title: "Parent", projectID: t.project.id))
        let child = try await world.tasks.create(t.bob, NewTask(title: "Child", parentID: parent.id))
        let comment = try await world.comments.add(t.bob, to: child.id, body: "note")
        await #expect(throws: DomainError.forbidden) { try await world.tasks.delete(t.vic, id: parent.id) }
        try await world.tasks.delete(t.bob, id: parent.id)
        await #expect(throws: DomainError.notFound(.task)) { try await world.tasks.task(t.bob, id: child.id) }
        await #expect(throws: DomainError.notFound(.comment)) {
            try await world.comments.comment(t.bob, id: comment.id)
        }
        await #expect(throws: DomainError.notFound(.task)) {
            try await world.activity.activity(t.bob, of: parent.id, page: .first)
        }
        let childKinds = try await world.store.transaction { tx in
            try await tx.events(of: child.id, after: nil, limit: 10).map(\.event.kind)
        }
        #expect(childKinds == [.taskCreated, .commentAdded, .taskDeleted])
    }

    @Test("a failed change leaves no event and no change")
    func rollback() async throws {
        let t = try await team()
        let task = try await world.tasks.create(t.bob, NewTask(title: "T", projectID: t.project.id))
        await #expect(throws: DomainError.self) {
            try await world.tasks.update(t.bob, id: task.id, TaskPatch(title: .set("New"), assigneeID: .set(t.gus.id)))
        }
        #expect(try await world.tasks.task(t.bob, id: task.id).title == "T")
        #expect(try await world.activity.activity(t.bob, of: task.id, page: .first).items.count == 1)
    }
}

@Suite("Store failures are not input faults")
struct StoreFailureTests {
    @Test("an id in a body that names nothing is a field fault; a store failure while reading it passes through")
    func notFoundAsNilPassesStoreFailures() async throws {
        #expect(try await notFoundAsNil { () async throws -> Int in throw DomainError.notFound(.task) } == nil)
        #expect(try await notFoundAsNil { () async throws -> Int in 7 } == 7)
        await #expect(throws: DomainError.storeUnavailable) {
            try await notFoundAsNil { () async throws -> Int in throw DomainError.storeUnavailable }
        }
    }
}
