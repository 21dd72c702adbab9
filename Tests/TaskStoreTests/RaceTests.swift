import Foundation
import TaskCore
import TaskTestSupport
import Testing

/// Read-modify-writes racing each other on every store: each either locks its row or checks a version, so no
/// change undoes another, no write without `If-Match` fails for contention, and nothing is deleted without its
/// event.
@Suite("Store conformance: races")
struct RaceTests {
    static let rounds = 8

    /// What `work` returned or threw.
    func result<Value>(_ work: () async throws -> Value) async -> Result<Value, any Error> {
        do {
            return .success(try await work())
        } catch {
            return .failure(error)
        }
    }

    /// What `work` threw, or `nil` when it succeeded.
    func outcome(_ work: () async throws -> Void) async -> (any Error)? {
        do {
            try await work()
            return nil
        } catch {
            return error
        }
    }

    @Test(
        "six parallel PATCHes of one task without If-Match all apply, one version each", arguments: StoreKind.available)
    func parallelTaskPatches(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let task = try await world.tasks.create(alice, NewTask(title: "T"))
        let failures = await withTaskGroup(of: (any Error)?.self) { group in
            for index in 0..<6 {
                group.addTask {
                    await outcome {
                        _ = try await world.tasks.update(alice, id: task.id, TaskPatch(title: .set("T\(index)")))
                    }
                }
            }
            return await group.reduce(into: [String]()) { if let error = $1 { $0.append(String(describing: error)) } }
        }
        #expect(failures.isEmpty)
        let final = try await world.tasks.task(alice, id: task.id)
        #expect(final.version == 7)
        let events = try await world.activity.activity(alice, of: task.id, page: PageRequest(limit: 100)).items
        #expect(events.count == 7)
    }

    /// Runs `change` six times at once, with indexes 0 to 5, and returns what each that failed threw.
    func sixAtOnce(_ change: @escaping @Sendable (Int) async throws -> Void) async -> [String] {
        await withTaskGroup(of: String?.self) { group in
            for index in 0..<6 {
                group.addTask { await outcome { try await change(index) }.map { String(describing: $0) } }
            }
            return await group.reduce(into: [String]()) { if let failure = $1 { $0.append(failure) } }
        }
    }

    @Test(
        "six parallel revocations of one personal access token, by a checked caller and through an access token's claim: one revokes it, the others find it gone",
        arguments: StoreKind.available)
    func parallelTokenRevocations(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let tokens = PersonalTokenService(store: world.store, minter: CountingPersonalTokens(), now: world.clock.now)
        let expiry = world.clock.now().addingTimeInterval(86_400)
        let claim = VerifiedAccessToken(userID: alice.id, issuedAt: world.clock.now())
        for claimed in [false, true] {
            let issued = try await tokens.create(
                alice, NewPersonalToken(name: "t", scopes: ["read"], expiresAt: expiry))
            let failures = await sixAtOnce { _ in
                if claimed {
                    try await tokens.revoke(claim, id: issued.record.id)
                } else {
                    try await tokens.revoke(alice, id: issued.record.id)
                }
            }
            #expect(failures.count == 5 && failures.allSatisfy { $0.contains("notFound") }, "\(failures)")
            #expect(try await tokens.tokens(alice, page: PageRequest(limit: 10)).items.isEmpty)
        }
    }

    /// A fresh store with a system administrator, as a checked caller and as an access token's claim, and Bob.
    static func administratorAndBob(_ kind: StoreKind) async throws -> (
        TestWorld, Caller, VerifiedAccessToken, Caller
    ) {
        let world = TestWorld(store: try await kind.makeFreshStore())
        _ = try await world.register("root")
        let admin = Caller(try await world.admin.promote(email: "root@example.com"))
        let claim = VerifiedAccessToken(userID: admin.id, issuedAt: world.clock.now())
        return (world, admin, claim, try await world.register("bob"))
    }

    @Test(
        "six parallel revocations of one user's token by an administrator, checked and claimed: one revokes it, five find it gone",
        arguments: StoreKind.available)
    func parallelAdministratorTokenRevocations(_ kind: StoreKind) async throws {
        let (world, admin, claim, bob) = try await Self.administratorAndBob(kind)
        let tokens = PersonalTokenService(store: world.store, minter: CountingPersonalTokens(), now: world.clock.now)
        let expiry = world.clock.now().addingTimeInterval(86_400)
        for claimed in [false, true] {
            let issued = try await tokens.create(bob, NewPersonalToken(name: "t", scopes: ["read"], expiresAt: expiry))
            let failures = await sixAtOnce { _ in
                if claimed {
                    try await tokens.revoke(issued.record.id, of: bob.id, by: claim)
                } else {
                    try await tokens.revoke(issued.record.id, of: bob.id, by: admin)
                }
            }
            #expect(failures.count == 5 && failures.allSatisfy { $0.contains("notFound") }, "\(failures)")
            #expect(try await tokens.tokens(of: bob.id, by: claim, page: PageRequest(limit: 10)).items.isEmpty)
        }
    }

    @Test(
        "six parallel changes of a user by an administrator, checked and claimed, all apply: none lost",
        arguments: StoreKind.available)
    func parallelAdministratorChanges(_ kind: StoreKind) async throws {
        let (world, admin, claim, bob) = try await Self.administratorAndBob(kind)
        for claimed in [false, true] {
            let failures = await sixAtOnce { index in
                if claimed {
                    _ = try await world.admin.updateUser(
                        claim, id: bob.id, name: "Bob \(index)", isAdmin: nil, isDisabled: nil)
                } else {
                    _ = try await world.admin.updateUser(
                        admin, id: bob.id, name: "Robert \(index)", isAdmin: nil, isDisabled: nil)
                }
            }
            #expect(failures == [], "claimed: \(claimed)")
        }
        #expect(try await world.admin.user(claim, id: bob.id).version == 13, "each change read the one before")
    }

    @Test(
        "six parallel changes without If-Match of every other kind of resource all apply, none lost",
        arguments: StoreKind.available)
    func parallelChangesOfEveryKind(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .member)])
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        _ = try await world.projectMembers.addMember(alice, to: project.id, userID: bob.id, role: .editor)
        let task = try await world.tasks.create(alice, NewTask(title: "T", projectID: project.id))
        let comment = try await world.comments.add(alice, to: task.id, body: "c")

        #expect(await sixAtOnce { _ = try await world.accounts.updateMe(alice, name: "Alice \($0)", email: nil) } == [])
        #expect(try await world.accounts.me(alice).version == 7, "me")
        #expect(await sixAtOnce { _ = try await world.workspaces.rename(alice, id: workspace, name: "W\($0)") } == [])
        #expect(try await world.workspaces.workspace(alice, id: workspace).workspace.version == 7, "workspace")
        #expect(
            await sixAtOnce {
                _ = try await world.projects.update(alice, id: project.id, ProjectPatch(name: .set("P\($0)")))
            } == [])
        #expect(try await world.projects.project(alice, id: project.id).version == 7, "project")
        #expect(await sixAtOnce { _ = try await world.comments.edit(alice, id: comment.id, body: "c\($0)") } == [])
        #expect(try await world.comments.comment(alice, id: comment.id).version == 7, "comment")

        // The same through an access token's claim, whose user is read with the locked record (one statement on
        // PostgreSQL, with its own check that the lock did not wait for a change the snapshot missed).
        let token = VerifiedAccessToken(userID: alice.id, issuedAt: world.clock.now())
        #expect(await sixAtOnce { _ = try await world.accounts.updateMe(token, name: "Al \($0)", email: nil) } == [])
        #expect(try await world.accounts.me(alice).version == 13, "me, claimed")
        #expect(await sixAtOnce { _ = try await world.workspaces.rename(token, id: workspace, name: "V\($0)") } == [])
        #expect(
            try await world.workspaces.workspace(alice, id: workspace).workspace.version == 13, "workspace, claimed")
        #expect(await sixAtOnce { _ = try await world.comments.edit(token, id: comment.id, body: "d\($0)") } == [])
        #expect(try await world.comments.comment(alice, id: comment.id).version == 13, "comment, claimed")

        // Roles alternate, so a change may set the role a member already has (and keep its version): none fails,
        // and the version counts exactly the changes that changed the role.
        let workspaceRoles: [WorkspaceRole] = [.admin, .member]
        #expect(
            await sixAtOnce {
                _ = try await world.workspaces.changeRole(
                    alice, in: workspace, userID: bob.id, to: workspaceRoles[$0 % 2])
            } == [])
        let workspaceMember = try await world.workspaces.member(alice, of: workspace, userID: bob.id)
        #expect((2...7).contains(workspaceMember.version), "workspace member")
        let projectRoles: [ProjectRole] = [.viewer, .editor]
        #expect(
            await sixAtOnce {
                _ = try await world.projectMembers.changeRole(
                    alice, in: project.id, userID: bob.id, to: projectRoles[$0 % 2])
            } == [])
        let projectMember = try await world.projectMembers.member(alice, of: project.id, userID: bob.id)
        #expect((2...7).contains(projectMember.version), "project member")
    }

    @Test(
        "a user's own PATCH never undoes an admin's disable, nor puts an old password hash back",
        arguments: StoreKind.available)
    func userRows(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let root = try await world.register("root")
        let admin = Caller(try await world.admin.promote(email: "root@example.com"))
        _ = root
        for round in 0..<Self.rounds {
            let bob = try await world.register("bob\(round)")
            async let rename: (any Error)? = outcome {
                _ = try await world.accounts.updateMe(bob, name: "Bob \(round)", email: nil)
            }
            async let disable: (any Error)? = outcome {
                _ = try await world.admin.updateUser(admin, id: bob.id, name: nil, isAdmin: nil, isDisabled: true)
            }
            async let password: (any Error)? = outcome {
                try await world.accounts.changePassword(
                    bob, current: "password-bob\(round)", new: "password-new-\(round)")
            }
            let errors = await [rename, disable, password].compactMap { $0 }
            #expect(errors.isEmpty, "round \(round): \(errors)")
            let stored = try #require(try await world.store.transaction { tx in try await tx.user(bob.id) })
            #expect(stored.isDisabled && stored.name == "Bob \(round)", "round \(round)")
            #expect(stored.passwordHash == "plain:password-new-\(round)", "round \(round)")
        }
    }

    @Test("renaming a project while it is archived never un-archives it", arguments: StoreKind.available)
    func projectRenameAndArchive(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        for round in 0..<Self.rounds {
            let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P\(round)"))
            async let rename = outcome {
                _ = try await world.projects.update(alice, id: project.id, ProjectPatch(name: .set("R\(round)")))
            }
            async let archive = outcome {
                _ = try await world.projects.update(alice, id: project.id, ProjectPatch(isArchived: .set(true)))
            }
            let (renamed, archived) = await (rename, archive)
            #expect(archived == nil, "round \(round)")
            let stored = try await world.projects.project(alice, id: project.id)
            #expect(stored.isArchived, "round \(round)")
            if let renamed {
                #expect(renamed as? DomainError == .conflict(.projectArchived), "round \(round)")
            } else {
                #expect(stored.name == "R\(round)", "round \(round)")
            }
        }
    }

    @Test("a subtask created while its parent moves ends up in the parent's project", arguments: StoreKind.available)
    func subtaskWhileParentMoves(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let first = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "One"))
        let second = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "Two"))
        for round in 0..<Self.rounds {
            let parent = try await world.tasks.create(alice, NewTask(title: "parent \(round)", projectID: first.id))
            async let move = outcome {
                _ = try await world.tasks.update(alice, id: parent.id, TaskPatch(projectID: .set(second.id)))
            }
            async let child = world.tasks.create(alice, NewTask(title: "child \(round)", parentID: parent.id))
            #expect(await move == nil, "round \(round)")
            let created = try await child
            let stored = try await world.tasks.task(alice, id: created.id)
            #expect(stored.projectID == second.id, "round \(round): the subtask follows its parent")
        }
    }

    @Test(
        "deleting a task while a subtask or comment is added: no store error, and every deleted task has its event",
        arguments: StoreKind.available)
    func deleteTaskWhileAdding(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        for round in 0..<Self.rounds {
            let root = try await world.tasks.create(alice, NewTask(title: "root \(round)"))
            let child = try await world.tasks.create(alice, NewTask(title: "child \(round)", parentID: root.id))
            async let delete = outcome { try await world.tasks.delete(alice, id: root.id) }
            async let subtask = result {
                try await world.tasks.create(alice, NewTask(title: "late \(round)", parentID: child.id))
            }
            async let comment = outcome { _ = try await world.comments.add(alice, to: child.id, body: "hi") }
            #expect(await delete == nil, "round \(round)")
            var doomed = [root.id, child.id]
            switch await subtask {
            case .success(let task): doomed.append(task.id)
            case .failure(let error):
                #expect(
                    error as? DomainError == .invalid("parent_id", "does not name a task you can see"), "round \(round)"
                )
            }
            if let error = await comment { #expect(error as? DomainError == .notFound(.task), "round \(round)") }
            for id in doomed {
                let events = try await world.store.transaction { tx in
                    try await tx.events(of: id, after: nil, limit: 100)
                }
                #expect(events.map(\.event.kind).last == .taskDeleted, "round \(round)")
                #expect(try await world.store.transaction { tx in try await tx.task(id) } == nil, "round \(round)")
            }
        }
    }

    @Test(
        "deleting a project while a task is added to it: no store error, no task left behind, one project_deleted",
        arguments: StoreKind.available)
    func deleteProjectWhileAdding(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        for round in 0..<Self.rounds {
            let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P\(round)"))
            let existing = try await world.tasks.create(alice, NewTask(title: "old \(round)", projectID: project.id))
            async let delete = outcome { try await world.projects.delete(alice, id: project.id) }
            async let added = result {
                try await world.tasks.create(alice, NewTask(title: "new \(round)", projectID: project.id))
            }
            async let subtask = result {
                try await world.tasks.create(alice, NewTask(title: "sub \(round)", parentID: existing.id))
            }
            #expect(await delete == nil, "round \(round)")
            var doomed = [existing.id]
            for result in await [added, subtask] {
                switch result {
                case .success(let task): doomed.append(task.id)
                case .failure(let error):
                    let expected: [DomainError] = [
                        .invalid("project_id", "does not name a project you can see"),
                        .invalid("parent_id", "does not name a task you can see"),
                    ]
                    #expect(expected.contains { $0 == error as? DomainError }, "round \(round): \(error)")
                }
            }
            for id in doomed {
                #expect(try await world.store.transaction { tx in try await tx.task(id) } == nil, "round \(round)")
            }
            try await FeedSettling.settle(world.store)
            let deletions = try await world.store.transaction { tx in
                try await tx.feedEvents(in: .project(project.id), after: .start, kinds: [.projectDeleted], limit: 10)
            }
            #expect(deletions.events.count == 1, "round \(round)")
        }
    }

    @Test(
        "removing a member while their assigned task is edited: both succeed, the task ends unassigned",
        arguments: StoreKind.available)
    func removeMemberWhileEditing(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        for round in 0..<Self.rounds {
            let bob = try await world.register("bob\(round)")
            let workspace = try await world.workspace(owner: alice, members: [(bob, .member)], name: "W\(round)")
            let task = try await world.tasks.create(
                alice, NewTask(title: "T", workspaceID: workspace, assigneeID: bob.id))
            async let remove = outcome {
                try await world.workspaces.removeMember(alice, from: workspace, userID: bob.id)
            }
            async let edit = outcome {
                _ = try await world.tasks.update(alice, id: task.id, TaskPatch(title: .set("Edited")))
            }
            let (removed, edited) = await (remove, edit)
            #expect(
                removed == nil && edited == nil,
                "round \(round): \(String(describing: removed)) \(String(describing: edited))")
            let stored = try await world.tasks.task(alice, id: task.id)
            #expect(stored.assigneeID == nil && stored.title == "Edited", "round \(round)")
        }
    }
}
