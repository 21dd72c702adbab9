import TaskCore
import TaskTestSupport
import Testing

@Suite("Projects and their members")
struct ProjectUseCaseTests {
    let world = TestWorld()

    @Test("creating: member allowed (becomes project admin), guest forbidden, stranger's workspace invalid")
    func create() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let guest = try await world.register("guest")
        let stranger = try await world.register("stranger")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .member), (guest, .guest)])
        let project = try await world.projects.create(bob, NewProject(workspaceID: workspace, name: "Launch"))
        #expect(project.visibility == .workspace && !project.isArchived)
        #expect(try await world.projectMembers.member(bob, of: project.id, userID: bob.id).role == "admin")
        await #expect(throws: DomainError.forbidden) {
            try await world.projects.create(guest, NewProject(workspaceID: workspace, name: "No"))
        }
        await #expect(throws: DomainError.invalid("workspace_id", "does not name a workspace you belong to")) {
            try await world.projects.create(stranger, NewProject(workspaceID: workspace, name: "No"))
        }
    }

    @Test("visibility: a private project is hidden from members without a role, shown to workspace admins")
    func privateProjects() async throws {
        let alice = try await world.register("alice")
        let admin = try await world.register("admin")
        let bob = try await world.register("bob")
        let guest = try await world.register("guest")
        let workspace = try await world.workspace(
            owner: alice, members: [(admin, .admin), (bob, .member), (guest, .guest)])
        let open = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "Open"))
        let secret = try await world.projects.create(
            alice, NewProject(workspaceID: workspace, name: "Secret", visibility: .private))
        await #expect(throws: DomainError.notFound(.project)) { try await world.projects.project(bob, id: secret.id) }
        #expect(try await world.projects.project(admin, id: secret.id).name == "Secret")
        #expect(
            try await world.projects.projects(bob, workspaceID: workspace, isArchived: nil, page: .first).items.map(
                \.name) == ["Open"])
        #expect(try await world.projects.projects(guest, workspaceID: nil, isArchived: nil, page: .first).items.isEmpty)
        _ = try await world.projectMembers.addMember(alice, to: secret.id, userID: guest.id, role: .viewer)
        #expect(
            try await world.projects.projects(guest, workspaceID: nil, isArchived: nil, page: .first).items.map(\.name)
                == ["Secret"])
        await #expect(throws: DomainError.notFound(.project)) { try await world.projects.project(guest, id: open.id) }
    }

    @Test("changing: project admin allowed, editor forbidden")
    func update() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .member)])
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        await #expect(throws: DomainError.forbidden) {
            try await world.projects.update(bob, id: project.id, ProjectPatch(name: .set("X")))
        }
        let changed = try await world.projects.update(
            alice, id: project.id, ProjectPatch(name: .set("Q"), description: .set("About"), visibility: .set(.private))
        )
        #expect(changed.name == "Q" && changed.description == "About" && changed.visibility == .private)
    }

    @Test("an archived project is read-only but can be restored, deleted and have its members changed")
    func archived() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .member)])
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        let task = try await world.tasks.create(alice, NewTask(title: "T", projectID: project.id))
        let comment = try await world.comments.add(alice, to: task.id, body: "hello")
        _ = try await world.projects.update(alice, id: project.id, ProjectPatch(isArchived: .set(true)))

        await #expect(throws: DomainError.conflict(.projectArchived)) {
            try await world.projects.update(alice, id: project.id, ProjectPatch(name: .set("X")))
        }
        await #expect(throws: DomainError.conflict(.projectArchived)) {
            try await world.tasks.create(alice, NewTask(title: "New", projectID: project.id))
        }
        await #expect(throws: DomainError.conflict(.projectArchived)) {
            try await world.tasks.update(alice, id: task.id, TaskPatch(title: .set("X")))
        }
        await #expect(throws: DomainError.conflict(.projectArchived)) {
            try await world.tasks.complete(alice, id: task.id)
        }
        await #expect(throws: DomainError.conflict(.projectArchived)) {
            try await world.tasks.delete(alice, id: task.id)
        }
        await #expect(throws: DomainError.conflict(.projectArchived)) {
            try await world.comments.add(alice, to: task.id, body: "x")
        }
        await #expect(throws: DomainError.conflict(.projectArchived)) {
            try await world.comments.edit(alice, id: comment.id, body: "x")
        }
        await #expect(throws: DomainError.conflict(.projectArchived)) {
            try await world.comments.delete(alice, id: comment.id)
        }

        _ = try await world.projectMembers.addMember(alice, to: project.id, userID: bob.id, role: .viewer)
        _ = try await world.projectMembers.changeRole(alice, in: project.id, userID: bob.id, to: .commenter)
        try await world.projectMembers.removeMember(alice, from: project.id, userID: bob.id)
        let restored = try await world.projects.update(alice, id: project.id, ProjectPatch(isArchived: .set(false)))
        #expect(!restored.isArchived)
        _ = try await world.tasks.update(alice, id: task.id, TaskPatch(title: .set("Writable again")))
        _ = try await world.projects.update(alice, id: project.id, ProjectPatch(isArchived: .set(true)))
        try await world.projects.delete(alice, id: project.id)
        await #expect(throws: DomainError.notFound(.project)) {
            try await world.projects.project(alice, id: project.id)
        }
    }

    @Test("deleting a project: admin allowed, editor forbidden; tasks and comments go, project_deleted recorded")
    func delete() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .member)])
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        let task = try await world.tasks.create(alice, NewTask(title: "T", projectID: project.id))
        let comment = try await world.comments.add(alice, to: task.id, body: "c")
        await #expect(throws: DomainError.forbidden) { try await world.projects.delete(bob, id: project.id) }
        try await world.projects.delete(alice, id: project.id)
        await #expect(throws: DomainError.notFound(.task)) { try await world.tasks.task(alice, id: task.id) }
        await #expect(throws: DomainError.notFound(.comment)) {
            try await world.comments.comment(alice, id: comment.id)
        }
        let kinds = try await world.store.transaction { tx in
            try await tx.events(of: task.id, after: nil, limit: 10).map(\.event.kind)
        }
        #expect(kinds == [.taskCreated, .commentAdded])
        let feed = try await world.store.transaction { tx in
            try await tx.feedEvents(in: .workspace(workspace), after: .start, kinds: [.projectDeleted], limit: 10)
        }
        #expect(feed.events.map(\.projectID) == [project.id])
    }

    @Test("project members: admin manages them, viewer reads but may not change; outsiders refused")
    func members() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let carol = try await world.register("carol")
        let stranger = try await world.register("stranger")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .member), (carol, .member)])
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        let added = try await world.projectMembers.addMember(alice, to: project.id, userID: bob.id, role: nil)
        #expect(added.role == "editor")
        _ = try await world.projectMembers.changeRole(alice, in: project.id, userID: bob.id, to: .viewer)
        #expect(try await world.projectMembers.members(bob, of: project.id, page: .first).items.count == 2)
        await #expect(throws: DomainError.forbidden) {
            try await world.projectMembers.addMember(bob, to: project.id, userID: carol.id, role: nil)
        }
        await #expect(throws: DomainError.conflict(.alreadyMember)) {
            try await world.projectMembers.addMember(alice, to: project.id, userID: bob.id, role: nil)
        }
        await #expect(throws: DomainError.invalid("user_id", "does not name a member of the project's workspace")) {
            try await world.projectMembers.addMember(alice, to: project.id, userID: stranger.id, role: nil)
        }
        await #expect(throws: DomainError.notFound(.projectMember)) {
            try await world.projectMembers.changeRole(alice, in: project.id, userID: carol.id, to: .viewer)
        }
    }
}
