import TaskCore
import TaskTestSupport
import Testing

@Suite("Workspaces and their members")
struct WorkspaceUseCaseTests {
    let world = TestWorld()

    @Test("a non-member gets not found; a member reads the workspace with their role")
    func visibility() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let carol = try await world.register("carol")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .guest)])
        #expect(try await world.workspaces.workspace(bob, id: workspace).role == .guest)
        await #expect(throws: DomainError.notFound(.workspace)) {
            try await world.workspaces.workspace(carol, id: workspace)
        }
    }

    @Test("renaming: admin allowed, member forbidden")
    func rename() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let carol = try await world.register("carol")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .admin), (carol, .member)])
        #expect(try await world.workspaces.rename(bob, id: workspace, name: " Renamed ").workspace.name == "Renamed")
        await #expect(throws: DomainError.forbidden) {
            try await world.workspaces.rename(carol, id: workspace, name: "X")
        }
    }

    @Test("a change with no name is still a change: refused to members and guests, a no-op for admins")
    func emptyRename() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let guest = try await world.register("guest")
        let workspace = try await world.workspace(
            owner: alice, members: [(bob, .member), (guest, .guest)], name: "Acme")
        await #expect(throws: DomainError.forbidden) {
            try await world.workspaces.rename(bob, id: workspace, name: nil)
        }
        await #expect(throws: DomainError.forbidden) {
            try await world.workspaces.rename(guest, id: workspace, name: nil)
        }
        let unchanged = try await world.workspaces.rename(alice, id: workspace, name: nil)
        #expect(unchanged.workspace.name == "Acme" && unchanged.role == .owner)
    }

    @Test("member changes are refused before the member is looked up, so they tell a guest nobody's membership")
    func memberLookupAfterPermission() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let guest = try await world.register("guest")
        let stranger = try await world.register("stranger")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .member), (guest, .guest)])
        for target in [bob.id, stranger.id] {
            await #expect(throws: DomainError.forbidden) {
                try await world.workspaces.changeRole(guest, in: workspace, userID: target, to: .admin)
            }
            await #expect(throws: DomainError.forbidden) {
                try await world.workspaces.removeMember(guest, from: workspace, userID: target)
            }
            await #expect(throws: DomainError.forbidden) {
                try await world.workspaces.changeRole(bob, in: workspace, userID: target, to: .admin)
            }
        }
        await #expect(throws: DomainError.notFound(.member)) {
            try await world.workspaces.changeRole(alice, in: workspace, userID: stranger.id, to: .admin)
        }
        try await world.workspaces.removeMember(guest, from: workspace, userID: guest.id)
    }

    @Test("deleting: owner allowed, admin forbidden; everything in it goes")
    func delete() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .admin)])
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        let task = try await world.tasks.create(alice, NewTask(title: "T", projectID: project.id))
        await #expect(throws: DomainError.forbidden) { try await world.workspaces.delete(bob, id: workspace) }
        try await world.workspaces.delete(alice, id: workspace)
        await #expect(throws: DomainError.notFound(.workspace)) {
            try await world.workspaces.workspace(alice, id: workspace)
        }
        await #expect(throws: DomainError.notFound(.task)) { try await world.tasks.task(alice, id: task.id) }
    }

    @Test("members list: member allowed, guest forbidden")
    func membersList() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let guest = try await world.register("guest")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .member), (guest, .guest)])
        let members = try await world.workspaces.members(bob, of: workspace, page: .first)
        #expect(members.items.map(\.name) == ["alice", "bob", "guest"])
        #expect(members.items.map(\.role) == ["owner", "member", "guest"])
        await #expect(throws: DomainError.forbidden) {
            try await world.workspaces.members(guest, of: workspace, page: .first)
        }
        await #expect(throws: DomainError.forbidden) {
            try await world.workspaces.member(guest, of: workspace, userID: alice.id)
        }
    }

    @Test("adding members: admin adds a member; only an owner adds an owner; unknown email and duplicates refused")
    func addMembers() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let carol = try await world.register("carol")
        try await world.register("dave")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .admin)])
        let added = try await world.workspaces.addMember(bob, to: workspace, email: "carol@example.com", role: nil)
        #expect(added.role == "member" && added.userID == carol.id)
        await #expect(throws: DomainError.forbidden) {
            try await world.workspaces.addMember(bob, to: workspace, email: "dave@example.com", role: .owner)
        }
        await #expect(throws: DomainError.forbidden) {
            try await world.workspaces.addMember(carol, to: workspace, email: "dave@example.com", role: .member)
        }
        _ = try await world.workspaces.addMember(alice, to: workspace, email: "dave@example.com", role: .owner)
        await #expect(throws: DomainError.notFound(.user)) {
            try await world.workspaces.addMember(alice, to: workspace, email: "nobody@example.com", role: nil)
        }
        await #expect(throws: DomainError.conflict(.alreadyMember)) {
            try await world.workspaces.addMember(alice, to: workspace, email: "carol@example.com", role: nil)
        }
    }

    @Test("roles: admin promotes a member; an admin may not touch an owner; the last owner stays")
    func changeRoles() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let carol = try await world.register("carol")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .admin), (carol, .member)])
        #expect(try await world.workspaces.changeRole(bob, in: workspace, userID: carol.id, to: .admin).role == "admin")
        await #expect(throws: DomainError.forbidden) {
            try await world.workspaces.changeRole(bob, in: workspace, userID: alice.id, to: .member)
        }
        await #expect(throws: DomainError.forbidden) {
            try await world.workspaces.changeRole(bob, in: workspace, userID: carol.id, to: .owner)
        }
        await #expect(throws: DomainError.conflict(.lastOwner)) {
            try await world.workspaces.changeRole(alice, in: workspace, userID: alice.id, to: .admin)
        }
        _ = try await world.workspaces.changeRole(alice, in: workspace, userID: bob.id, to: .owner)
        #expect(
            try await world.workspaces.changeRole(alice, in: workspace, userID: alice.id, to: .admin).role == "admin")
    }

    @Test("removing: a member may leave; an admin removes a member but not an owner; the last owner cannot leave")
    func removeMembers() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let carol = try await world.register("carol")
        let dave = try await world.register("dave")
        let workspace = try await world.workspace(
            owner: alice, members: [(bob, .admin), (carol, .member), (dave, .member)])
        try await world.workspaces.removeMember(carol, from: workspace, userID: carol.id)
        await #expect(throws: DomainError.forbidden) {
            try await world.workspaces.removeMember(dave, from: workspace, userID: bob.id)
        }
        try await world.workspaces.removeMember(bob, from: workspace, userID: dave.id)
        await #expect(throws: DomainError.forbidden) {
            try await world.workspaces.removeMember(bob, from: workspace, userID: alice.id)
        }
        await #expect(throws: DomainError.conflict(.lastOwner)) {
            try await world.workspaces.removeMember(alice, from: workspace, userID: alice.id)
        }
        await #expect(throws: DomainError.notFound(.member)) {
            try await world.workspaces.removeMember(alice, from: workspace, userID: carol.id)
        }
    }

    @Test("removing a member removes their project roles and unassigns their tasks there")
    func removalCleansUp() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .member)])
        let project = try await world.projects.create(
            alice, NewProject(workspaceID: workspace, name: "P", visibility: .private))
        _ = try await world.projectMembers.addMember(alice, to: project.id, userID: bob.id, role: .viewer)
        let task = try await world.tasks.create(alice, NewTask(title: "T", projectID: project.id, assigneeID: bob.id))
        try await world.workspaces.removeMember(alice, from: workspace, userID: bob.id)
        await #expect(throws: DomainError.notFound(.projectMember)) {
            try await world.projectMembers.member(alice, of: project.id, userID: bob.id)
        }
        let after = try await world.tasks.task(alice, id: task.id)
        #expect(after.assigneeID == nil && after.version == task.version + 1)
        let kinds = try await world.activity.activity(alice, of: task.id, page: .first).items.map(\.kind)
        #expect(kinds == [.taskCreated, .taskUpdated])
    }
}
