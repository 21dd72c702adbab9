import Foundation
import TaskCore
import TaskTestSupport
import Testing

/// The joined reads behind every request that names a task or a project: each store must report the same stored
/// memberships that the one-by-one reads report.
@Suite("Store conformance: access facts")
struct AccessFactConformanceTests {
    /// Alice owns the workspace and created the project (so she is its admin), Bob is a member with an explicit `viewer` role on the private project, Carol is a
    /// guest with no project role, and Dave belongs to another workspace.
    struct Scene {
        let store: any DataStore
        let alice: Caller, bob: Caller, carol: Caller, dave: Caller
        let project: Project
        let projectTask: TaskItem
        let looseTask: TaskItem

        init(_ kind: StoreKind) async throws {
            store = try await kind.makeFreshStore()
            let world = TestWorld(store: store)
            alice = try await world.register("alice")
            bob = try await world.register("bob")
            carol = try await world.register("carol")
            dave = try await world.register("dave")
            let workspace = try await world.workspace(owner: alice, members: [(bob, .member), (carol, .guest)])
            project = try await world.projects.create(
                alice, NewProject(workspaceID: workspace, name: "Secret", visibility: .private))
            _ = try await world.projectMembers.addMember(alice, to: project.id, userID: bob.id, role: .viewer)
            projectTask = try await world.tasks.create(alice, NewTask(title: "In project", projectID: project.id))
            looseTask = try await world.tasks.create(alice, NewTask(title: "Loose", workspaceID: workspace))
        }

        /// A token service over the scene's store, with its minter and its clock (which the test steps), and an
        /// expiry a day after the clock's start.
        func personalTokens() -> (
            service: PersonalTokenService, minter: CountingPersonalTokens, clock: SteppingClock, expiry: Date
        ) {
            let clock = SteppingClock()
            let minter = CountingPersonalTokens()
            return (
                PersonalTokenService(store: store, minter: minter, now: clock.now), minter, clock,
                SteppingClock.start.addingTimeInterval(86_400)
            )
        }
    }

    @Test("a task's facts carry its project and each user's stored roles", arguments: StoreKind.available)
    func taskFacts(_ kind: StoreKind) async throws {
        let scene = try await Scene(kind)
        let facts = try await scene.store.transaction { [scene] tx in
            [
                try await tx.taskAccess(scene.projectTask.id, for: scene.alice.id),
                try await tx.taskAccess(scene.projectTask.id, for: scene.bob.id),
                try await tx.taskAccess(scene.projectTask.id, for: scene.carol.id),
                try await tx.taskAccess(scene.projectTask.id, for: scene.dave.id),
            ]
        }
        let expected: [(WorkspaceRole?, ProjectRole?)] = [
            (.owner, .admin), (.member, .viewer), (.guest, nil), (nil, nil),
        ]
        for (found, (workspaceRole, projectRole)) in zip(facts, expected) {
            let found = try #require(found)
            #expect(found.task == scene.projectTask)
            #expect(found.project == scene.project)
            #expect(found.workspaceMemberRole == workspaceRole)
            #expect(found.projectMemberRole == projectRole)
        }
    }

    @Test(
        "a task's facts read with the user a token names: the same facts, the user's row, nothing for an unknown user",
        arguments: StoreKind.available)
    func claimedTaskFacts(_ kind: StoreKind) async throws {
        let scene = try await Scene(kind)
        let unknownTask = TaskID(UUID())
        for caller in [scene.alice, scene.bob, scene.carol, scene.dave] {
            for taskID in [scene.projectTask.id, scene.looseTask.id, unknownTask] {
                let (claimed, separate, user) = try await scene.store.transaction { [scene] tx in
                    (
                        try await tx.taskAccess(taskID, claimedBy: .user(caller.id)),
                        try await tx.taskAccess(taskID, for: caller.id), try await tx.user(caller.id)
                    )
                }
                #expect(claimed.user == user && claimed.user?.id == caller.id)
                #expect(claimed.facts == separate, "\(caller.id) on \(taskID)")
            }
        }
        let nobody = UserID(UUID())
        let found = try await scene.store.transaction { [scene] tx in
            try await tx.taskAccess(scene.projectTask.id, claimedBy: .user(nobody))
        }
        #expect(found == ClaimedTaskAccess(user: nil, facts: nil))
    }

    @Test(
        "a project's facts read with the user a token names: the same facts, the user's row, nothing for an unknown user",
        arguments: StoreKind.available)
    func claimedProjectFacts(_ kind: StoreKind) async throws {
        let scene = try await Scene(kind)
        for caller in [scene.alice, scene.bob, scene.carol, scene.dave] {
            for projectID in [scene.project.id, ProjectID(UUID())] {
                let (claimed, separate, user) = try await scene.store.transaction { [scene] tx in
                    (
                        try await tx.projectAccess(projectID, claimedBy: .user(caller.id)),
                        try await tx.projectAccess(projectID, for: caller.id), try await tx.user(caller.id)
                    )
                }
                #expect(claimed.user == user && claimed.user?.id == caller.id)
                #expect(claimed.facts == separate, "\(caller.id) on \(projectID)")
            }
        }
        let found = try await scene.store.transaction { [scene] tx in
            try await tx.projectAccess(scene.project.id, claimedBy: .user(UserID(UUID())))
        }
        #expect(found == ClaimedProjectAccess(user: nil, facts: nil))
    }

    @Test("a task outside projects has no project facts; an unknown task has none", arguments: StoreKind.available)
    func looseAndUnknownTasks(_ kind: StoreKind) async throws {
        let scene = try await Scene(kind)
        let (loose, unknown) = try await scene.store.transaction { [scene] tx in
            (
                try await tx.taskAccess(scene.looseTask.id, for: scene.bob.id),
                try await tx.taskAccess(TaskID(UUID()), for: scene.alice.id)
            )
        }
        let found = try #require(loose)
        #expect(found.task == scene.looseTask && found.project == nil)
        #expect(found.workspaceMemberRole == .member && found.projectMemberRole == nil)
        #expect(unknown == nil)
    }

    @Test(
        "a project's facts carry each user's stored roles; an unknown project has none", arguments: StoreKind.available)
    func projectFacts(_ kind: StoreKind) async throws {
        let scene = try await Scene(kind)
        let (bob, dave, unknown) = try await scene.store.transaction { [scene] tx in
            (
                try await tx.projectAccess(scene.project.id, for: scene.bob.id),
                try await tx.projectAccess(scene.project.id, for: scene.dave.id),
                try await tx.projectAccess(ProjectID(UUID()), for: scene.bob.id)
            )
        }
        #expect(
            bob == ProjectAccessFacts(project: scene.project, workspaceMemberRole: .member, projectMemberRole: .viewer))
        #expect(dave == ProjectAccessFacts(project: scene.project, workspaceMemberRole: nil, projectMemberRole: nil))
        #expect(unknown == nil)
    }

    @Test(
        "a workspace's facts carry each user's stored role, alone or with the user a token names; none for an unknown workspace or user",
        arguments: StoreKind.available)
    func workspaceFacts(_ kind: StoreKind) async throws {
        let scene = try await Scene(kind)
        let workspaceID = scene.project.workspaceID
        let workspace = try #require(try await scene.store.transaction { tx in try await tx.workspace(workspaceID) })
        let (bob, dave, unknown, claimed, unknownUser) = try await scene.store.transaction { [scene] tx in
            (
                try await tx.workspaceAccess(workspaceID, for: scene.bob.id),
                try await tx.workspaceAccess(workspaceID, for: scene.dave.id),
                try await tx.workspaceAccess(WorkspaceID(UUID()), for: scene.bob.id),
                try await tx.workspaceAccess(workspaceID, claimedBy: .user(scene.carol.id)),
                try await tx.workspaceAccess(workspaceID, claimedBy: .user(UserID(UUID())))
            )
        }
        #expect(bob == WorkspaceAccessFacts(workspace: workspace, memberRole: .member))
        #expect(dave == WorkspaceAccessFacts(workspace: workspace, memberRole: nil))
        #expect(unknown == nil)
        #expect(claimed.user?.id == scene.carol.id)
        #expect(claimed.facts == WorkspaceAccessFacts(workspace: workspace, memberRole: .guest))
        #expect(unknownUser == ClaimedWorkspaceAccess(user: nil, facts: nil))
    }

    @Test(
        "a user's memberships read with the user a token names are the memberships read alone; nothing for an unknown user",
        arguments: StoreKind.available)
    func claimedMemberships(_ kind: StoreKind) async throws {
        let scene = try await Scene(kind)
        for caller in [scene.alice, scene.bob, scene.carol, scene.dave] {
            let (claimed, alone, user) = try await scene.store.transaction { tx in
                (
                    try await tx.workspaceMemberships(claimedBy: .user(caller.id)),
                    try await tx.workspaceMemberships(of: caller.id), try await tx.user(caller.id)
                )
            }
            #expect(claimed.user == user && user != nil)
            let inOrder = { (members: [WorkspaceMember]) in members.sorted { $0.workspaceID.uuid < $1.workspaceID.uuid }
            }
            #expect(inOrder(try #require(claimed.facts)) == inOrder(alone))
        }
        let bobs = try await scene.store.transaction { [scene] tx in
            try await tx.workspaceMemberships(claimedBy: .user(scene.bob.id)).facts
        }
        #expect(bobs?.contains { $0.workspaceID == scene.project.workspaceID && $0.role == .member } == true)
        let unknown = try await scene.store.transaction { tx in
            try await tx.workspaceMemberships(claimedBy: .user(UserID(UUID())))
        }
        #expect(unknown == ClaimedMemberships(user: nil, facts: nil))
    }

    @Test(
        "a page of a user's workspaces read with the user is the page read alone, page after page; nothing for an unknown user",
        arguments: StoreKind.available)
    func claimedWorkspacePage(_ kind: StoreKind) async throws {
        let scene = try await Scene(kind)
        _ = try await WorkspaceService(
            store: scene.store, now: { Date(timeIntervalSince1970: 1_900_000_000) }, ids: RandomIDGenerator()
        )
        .create(scene.bob, name: "Bob's second")
        for caller in [scene.alice, scene.bob, scene.carol, scene.dave] {
            var after: PagePosition?
            var seen: [WorkspaceMembership] = []
            repeat {
                let (claimed, alone, user) = try await scene.store.transaction { [after] tx in
                    (
                        try await tx.workspaces(claimedBy: .user(caller.id), after: after, limit: 1),
                        try await tx.workspaces(of: caller.id, within: nil, after: after, limit: 1),
                        try await tx.user(caller.id)
                    )
                }
                #expect(claimed.user == user && user != nil && claimed.token == nil)
                #expect(claimed.facts == alone)
                seen += alone
                after = alone.last.map { PagePosition(value: .date($0.workspace.createdAt), id: $0.workspace.id.uuid) }
            } while after != nil
            let all = try await scene.store.transaction { tx in
                try await tx.workspaces(claimedBy: .user(caller.id), after: nil, limit: 10)
            }
            #expect(all.facts == seen && !seen.isEmpty)
        }
        let bobs = try await scene.store.transaction { [scene] tx in
            try await tx.workspaces(claimedBy: .user(scene.bob.id), after: nil, limit: 10).facts
        }
        #expect(
            bobs?.count == 3
                && bobs?.contains { $0.workspace.id == scene.project.workspaceID && $0.role == .member } == true)
        let unknown = try await scene.store.transaction { tx in
            try await tx.workspaces(claimedBy: .user(UserID(UUID())), after: nil, limit: 10)
        }
        #expect(unknown == ClaimedAccess(user: nil, facts: nil))

        // Through a personal access token: the token with the page, narrowed to the workspaces it names.
        let (tokens, minter, clock, expiry) = scene.personalTokens()
        let narrowed = try await tokens.create(
            scene.bob,
            NewPersonalToken(
                name: "one", scopes: ["read"], expiresAt: expiry, workspaceIDs: [scene.project.workspaceID.description])
        )
        let wide = try await tokens.create(
            scene.bob, NewPersonalToken(name: "all", scopes: ["read"], expiresAt: expiry))
        let now = clock.now()
        let (oneLookup, allLookup) = (
            ClaimIdentity.personalToken(
                PersonalTokenLookup(digest: minter.digest(of: narrowed.token), at: now, touchingBefore: now)),
            ClaimIdentity.personalToken(
                PersonalTokenLookup(digest: minter.digest(of: wide.token), at: now, touchingBefore: now))
        )
        let (one, all) = try await scene.store.transaction { tx in
            (
                try await tx.workspaces(claimedBy: oneLookup, after: nil, limit: 10),
                try await tx.workspaces(claimedBy: allLookup, after: nil, limit: 10)
            )
        }
        #expect(one.user == all.user && one.user?.id == scene.bob.id)
        #expect(one.token?.id == narrowed.record.id && all.token?.id == wide.record.id)
        #expect(one.facts?.map(\.workspace.id) == [scene.project.workspaceID])
        #expect(all.facts == bobs)
    }

    @Test(
        "a locking read of a task's facts waits for a move to another project and returns the new project",
        .timeLimit(.minutes(3)), arguments: StoreKind.available)
    func lockedTaskFactsSeeAMove(_ kind: StoreKind) async throws {
        let scene = try await Scene(kind)
        let world = TestWorld(store: scene.store)
        let other = try await world.projects.create(
            scene.alice, NewProject(workspaceID: scene.project.workspaceID, name: "Open", visibility: .workspace))
        let waits = LockWaits()
        let writer = await StoreConformanceTests.holdOpen(scene.store) { [scene] tx in
            try await waits.noteHolder(tx)
            var moved = try #require(
                try await tx.taskAccess(scene.projectTask.id, for: scene.alice.id, locking: .update)
            )
            .task
            moved.projectID = other.id
            moved.version += 1
            try await tx.updateTask(moved, expectedVersion: scene.projectTask.version)
        }
        let locker = Task { [scene] in
            try await scene.store.transaction { tx in
                try await tx.taskAccess(scene.projectTask.id, for: scene.bob.id, locking: .share)
            }
        }
        try await waits.untilSomeoneWaits(in: scene.store)
        writer.release()
        try await writer.committed.value
        // Had the facts come from before the move, they would name the private project and Bob's viewer role in it.
        let found = try #require(try await locker.value)
        #expect(found.task.projectID == other.id && found.project == other)
        #expect(found.projectMemberRole == nil && found.workspaceMemberRole == .member)
    }

    @Test(
        "a locking read of facts: the same facts as a plain read; nothing once a waited-for writer deleted the record",
        .timeLimit(.minutes(3)), arguments: StoreKind.available)
    func lockedFacts(_ kind: StoreKind) async throws {
        let scene = try await Scene(kind)
        let (task, project, unknown) = try await scene.store.transaction { [scene] tx in
            (
                try await tx.taskAccess(scene.projectTask.id, for: scene.bob.id, locking: .update),
                try await tx.projectAccess(scene.project.id, for: scene.bob.id, locking: .share),
                try await tx.taskAccess(TaskID(UUID()), for: scene.bob.id, locking: .share)
            )
        }
        let (workspace, plainWorkspace, unknownWorkspace) = try await scene.store.transaction { [scene] tx in
            (
                try await tx.workspaceAccess(scene.project.workspaceID, for: scene.bob.id, locking: .update),
                try await tx.workspaceAccess(scene.project.workspaceID, for: scene.bob.id),
                try await tx.workspaceAccess(WorkspaceID(UUID()), for: scene.bob.id, locking: .share)
            )
        }
        #expect(workspace == plainWorkspace && workspace?.memberRole == .member && unknownWorkspace == nil)
        #expect(
            task
                == TaskAccessFacts(
                    task: scene.projectTask, project: scene.project, workspaceMemberRole: .member,
                    projectMemberRole: .viewer))
        #expect(
            project
                == ProjectAccessFacts(project: scene.project, workspaceMemberRole: .member, projectMemberRole: .viewer))
        #expect(unknown == nil)

        let writer = await StoreConformanceTests.holdOpen(scene.store) { [scene] tx in
            _ = try await tx.taskAccess(scene.looseTask.id, for: scene.alice.id, locking: .update)
            try await tx.deleteTasks([scene.looseTask.id])
        }
        let locker = Task { [scene] in
            try await scene.store.transaction { tx in
                try await tx.taskAccess(scene.looseTask.id, for: scene.bob.id, locking: .update)
            }
        }
        for _ in 0..<100 { await Task.yield() }
        writer.release()
        try await writer.committed.value
        #expect(try await locker.value == nil, "the deleted task is gone, not read from before its deletion")
    }

    @Test(
        "a comment's facts, plain and locked, are the comment with its task's facts for the claimed user; none for an unknown comment, no user for an unknown one",
        arguments: StoreKind.available)
    func commentFacts(_ kind: StoreKind) async throws {
        let scene = try await Scene(kind)
        let comment = TaskCore.Comment(
            id: CommentID(UUID()), taskID: scene.projectTask.id, workspaceID: scene.projectTask.workspaceID,
            authorID: scene.alice.id, body: "c", createdAt: SteppingClock.start, updatedAt: SteppingClock.start)
        try await scene.store.transaction { tx in try await tx.insertComment(comment) }
        let bob = ClaimIdentity.user(scene.bob.id)
        let (plain, locked, taskFacts, unknownComment, unknownUser) = try await scene.store.transaction {
            [scene] tx in
            (
                try await tx.commentAccess(comment.id, claimedBy: bob),
                try await tx.commentAccess(comment.id, claimedBy: bob, locking: .update),
                try await tx.taskAccess(scene.projectTask.id, for: scene.bob.id),
                try await tx.commentAccess(CommentID(UUID()), claimedBy: bob, locking: .update),
                try await tx.commentAccess(comment.id, claimedBy: .user(UserID(UUID())))
            )
        }
        let expected = CommentAccessFacts(comment: comment, task: try #require(taskFacts))
        #expect(plain.user?.id == scene.bob.id && plain.token == nil && plain.facts == expected)
        #expect(locked.user == plain.user && locked.facts == expected)
        #expect(expected.task.projectMemberRole == .viewer && expected.task.workspaceMemberRole == .member)
        #expect(unknownComment.user?.id == scene.bob.id && unknownComment.facts == nil)
        #expect(unknownUser == ClaimedCommentAccess(user: nil, facts: nil))
    }

    @Test(
        "a locking read of a workspace's facts with its claimed user waits for a rename and returns the new name",
        .timeLimit(.minutes(3)), arguments: StoreKind.available)
    func lockedWorkspaceAfterRename(_ kind: StoreKind) async throws {
        let scene = try await Scene(kind)
        let id = scene.project.workspaceID
        let waits = LockWaits()
        let writer = await StoreConformanceTests.holdOpen(scene.store) { [scene] tx in
            try await waits.noteHolder(tx)
            var workspace = try #require(try await tx.workspaceAccess(id, for: scene.alice.id, locking: .update))
                .workspace
            workspace.name = "Renamed"
            workspace.version += 1
            try await tx.updateWorkspace(workspace)
        }
        let locker = Task { [scene] in
            try await scene.store.transaction { tx in
                try await tx.workspaceAccess(id, claimedBy: .user(scene.bob.id), locking: .update)
            }
        }
        try await waits.untilSomeoneWaits(in: scene.store)
        writer.release()
        try await writer.committed.value
        let found = try await locker.value
        #expect(found.user?.id == scene.bob.id && found.facts?.memberRole == .member)
        #expect(found.facts?.workspace.name == "Renamed", "not the name from before the rename it waited for")
    }
}
