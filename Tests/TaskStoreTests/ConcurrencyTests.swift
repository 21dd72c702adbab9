import TaskCore
import TaskTestSupport
import Testing

/// Races the rules must survive on every store.
@Suite("Store conformance: concurrency")
struct ConcurrencyTests {
    @Test(
        "two owners demoting each other at once never leave a workspace without an owner",
        arguments: StoreKind.available)
    func ownersDemotingEachOther(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        for round in 0..<25 {
            let workspace = try await world.workspace(owner: alice, members: [(bob, .owner)], name: "Race \(round)")
            async let aliceDemotesBob = succeeds {
                _ = try await world.workspaces.changeRole(alice, in: workspace, userID: bob.id, to: .member)
            }
            async let bobDemotesAlice = succeeds {
                _ = try await world.workspaces.changeRole(bob, in: workspace, userID: alice.id, to: .member)
            }
            let outcomes = await [aliceDemotesBob, bobDemotesAlice]
            #expect(outcomes.filter { $0 }.count == 1, "round \(round): exactly one demotion wins")
            let owners = try await world.store.transaction { tx in try await tx.lockOwners(of: workspace) }
            #expect(owners.count == 1, "round \(round): one owner left")
        }
    }

    @Test(
        "two owners removing each other at once never leave a workspace without an owner",
        arguments: StoreKind.available)
    func ownersRemovingEachOther(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        for round in 0..<25 {
            let workspace = try await world.workspace(owner: alice, members: [(bob, .owner)], name: "Race \(round)")
            async let first = succeeds {
                try await world.workspaces.removeMember(alice, from: workspace, userID: bob.id)
            }
            async let second = succeeds {
                try await world.workspaces.removeMember(bob, from: workspace, userID: alice.id)
            }
            #expect(await [first, second].filter { $0 }.count == 1, "round \(round): exactly one removal wins")
            let owners = try await world.store.transaction { tx in try await tx.lockOwners(of: workspace) }
            #expect(owners.count == 1, "round \(round)")
        }
    }

    @Test("concurrent registrations with one email: exactly one account", arguments: StoreKind.available)
    func registrationsRace(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    (try? await world.accounts.register(
                        email: "same@example.com", password: "password\(index)", name: "n\(index)")) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        let users = try await world.store.transaction { tx in try await tx.users(after: nil, limit: 100) }
        #expect(users.count == 1)
        let workspaces = try await world.workspaces.workspaces(Caller(try #require(users.first)), page: .first)
        #expect(workspaces.items.count == 1, "the personal workspace of the losers was rolled back")
    }

    @Test("concurrent edits of one task: every one applied, versions counted once each", arguments: StoreKind.available)
    func concurrentEdits(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let task = try await world.tasks.create(alice, NewTask(title: "T"))
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<10 {
                group.addTask {
                    _ = try? await world.tasks.update(alice, id: task.id, TaskPatch(title: .set("T\(index)")))
                }
            }
        }
        let final = try await world.tasks.task(alice, id: task.id)
        let events = try await world.activity.activity(alice, of: task.id, page: PageRequest(limit: 100)).items
        #expect(final.version == events.count, "one event per version step")
    }

    /// Whether `work` finished without throwing.
    func succeeds(_ work: () async throws -> Void) async -> Bool {
        do {
            try await work()
            return true
        } catch {
            return false
        }
    }
}
