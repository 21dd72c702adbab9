import TaskCore
import TaskTestSupport
import Testing

@Suite("Comments and activity")
struct CommentUseCaseTests {
    let world = TestWorld()

    @Test("commenting: commenter allowed, viewer forbidden; listed oldest first")
    func add() async throws {
        let alice = try await world.register("alice")
        let carl = try await world.register("carl")
        let vic = try await world.register("vic")
        let workspace = try await world.workspace(owner: alice, members: [(carl, .member), (vic, .member)])
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        _ = try await world.projectMembers.addMember(alice, to: project.id, userID: carl.id, role: .commenter)
        _ = try await world.projectMembers.addMember(alice, to: project.id, userID: vic.id, role: .viewer)
        let task = try await world.tasks.create(alice, NewTask(title: "T", projectID: project.id))
        _ = try await world.comments.add(carl, to: task.id, body: " first ")
        _ = try await world.comments.add(alice, to: task.id, body: "second")
        await #expect(throws: DomainError.forbidden) { try await world.comments.add(vic, to: task.id, body: "x") }
        let list = try await world.comments.comments(vic, of: task.id, page: .first)
        #expect(list.items.map(\.body) == ["first", "second"])
    }

    @Test("editing: the author only; the same body records nothing; a change marks it edited")
    func edit() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .member)])
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        let task = try await world.tasks.create(bob, NewTask(title: "T", projectID: project.id))
        let comment = try await world.comments.add(bob, to: task.id, body: "hello")
        await #expect(throws: DomainError.forbidden) { try await world.comments.edit(alice, id: comment.id, body: "x") }
        let same = try await world.comments.edit(bob, id: comment.id, body: "hello")
        #expect(!same.isEdited)
        let edited = try await world.comments.edit(bob, id: comment.id, body: "hello there")
        #expect(edited.isEdited && edited.body == "hello there")
        let events = try await world.activity.activity(bob, of: task.id, page: .first).items
        #expect(events.map(\.kind) == [.taskCreated, .commentAdded, .commentEdited])
        #expect(events.last?.changes == .comment(comment.id))
    }

    @Test("deleting: the author or a project admin; an editor may not delete another's comment")
    func delete() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let eve = try await world.register("eve")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .member), (eve, .member)])
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        let task = try await world.tasks.create(bob, NewTask(title: "T", projectID: project.id))
        let first = try await world.comments.add(bob, to: task.id, body: "one")
        let second = try await world.comments.add(bob, to: task.id, body: "two")
        await #expect(throws: DomainError.forbidden) { try await world.comments.delete(eve, id: first.id) }
        try await world.comments.delete(bob, id: first.id)
        try await world.comments.delete(alice, id: second.id)
        #expect(try await world.comments.comments(bob, of: task.id, page: .first).items.isEmpty)
    }

    @Test("activity pages keep the append order")
    func activityPages() async throws {
        let alice = try await world.register("alice")
        let task = try await world.tasks.create(alice, NewTask(title: "T"))
        for index in 0..<5 { _ = try await world.tasks.update(alice, id: task.id, TaskPatch(title: .set("T\(index)"))) }
        let first = try await world.activity.activity(alice, of: task.id, page: PageRequest(limit: 4))
        let second = try await world.activity.activity(
            alice, of: task.id, page: PageRequest(limit: 4, cursor: first.nextCursor))
        #expect(first.items.count == 4 && second.items.count == 2 && second.nextCursor == nil)
        #expect(first.items.first?.kind == .taskCreated)
    }
}
