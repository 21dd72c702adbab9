import Foundation
import TaskCore
import TaskTestSupport
import Testing

/// Personal access tokens on every store.
@Suite("Store conformance: personal access tokens")
struct PersonalTokenConformanceTests {
    func service(_ world: TestWorld) -> PersonalTokenService {
        PersonalTokenService(store: world.store, minter: CountingPersonalTokens(), now: world.clock.now)
    }

    /// A new token's input, expiring `days` after the clock's start.
    func newToken(
        _ name: String = "t", scopes: [String] = ["read"], workspaces: [WorkspaceID]? = nil, days: Double = 30
    ) -> NewPersonalToken {
        NewPersonalToken(
            name: name, scopes: scopes, expiresAt: SteppingClock.start.addingTimeInterval(days * 24 * 3600),
            workspaceIDs: workspaces.map { $0.map(\.description) })
    }

    @Test(
        "a token round-trips with every field, authenticates its user with its grant, and is gone once revoked",
        arguments: StoreKind.available)
    func roundTrip(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let tokens = service(world)
        let issued = try await tokens.create(
            alice, newToken(" bot ", scopes: ["tasks:write", "read"], workspaces: [workspace, workspace]))
        #expect(issued.record.name == "bot" && issued.record.prefix == String(issued.token.prefix(8)))
        #expect(issued.record.scopes == [.read, .tasksWrite] && issued.record.workspaceIDs == [workspace])
        #expect(try await tokens.token(alice, id: issued.record.id) == issued.record)

        let found = try await tokens.caller(presenting: issued.token)
        #expect(found.caller.id == alice.id && found.caller.grant == issued.record.grant)
        #expect(found.expiresAt == issued.record.expiresAt)

        let page = try await tokens.tokens(alice, page: try PageRequest(limit: 1))
        #expect(page.items.map(\.id) == [issued.record.id] && page.nextCursor == nil)
        try await tokens.revoke(alice, id: issued.record.id)
        await #expect(throws: DomainError.notFound(.token)) { try await tokens.token(alice, id: issued.record.id) }
        await #expect(throws: DomainError.unauthenticated) { try await tokens.caller(presenting: issued.token) }
        await #expect(throws: DomainError.notFound(.token)) { try await tokens.revoke(alice, id: issued.record.id) }
    }

    @Test(
        "another user's token is not found, to its owner's neighbours and for revocation",
        arguments: StoreKind.available)
    func ownTokensOnly(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let tokens = service(world)
        let issued = try await tokens.create(alice, newToken())
        await #expect(throws: DomainError.notFound(.token)) { try await tokens.token(bob, id: issued.record.id) }
        await #expect(throws: DomainError.notFound(.token)) { try await tokens.revoke(bob, id: issued.record.id) }
        #expect(try await tokens.tokens(bob, page: try PageRequest()).items.isEmpty)
        #expect(try await tokens.caller(presenting: issued.token).caller.id == alice.id)
    }

    @Test("last_used_at is written on first use and then at most once a minute", arguments: StoreKind.available)
    func lastUsed(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let tokens = service(world)
        let issued = try await tokens.create(alice, newToken())
        #expect(issued.record.lastUsedAt == nil)
        _ = try await tokens.caller(presenting: issued.token)
        let first = try #require(try await tokens.token(alice, id: issued.record.id).lastUsedAt)
        world.clock.advance(by: 30)
        _ = try await tokens.caller(presenting: issued.token)
        #expect(try await tokens.token(alice, id: issued.record.id).lastUsedAt == first)
        world.clock.advance(by: 31)
        _ = try await tokens.caller(presenting: issued.token)
        let second = try #require(try await tokens.token(alice, id: issued.record.id).lastUsedAt)
        #expect(second.timeIntervalSince(first) > 60)
        #expect(try await tokens.token(alice, id: issued.record.id).version == 1)
    }

    @Test(
        "sixty parallel creations by one user make exactly 50 tokens; the rest are 409 too_many_tokens",
        arguments: StoreKind.available)
    func limitUnderConcurrency(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let tokens = service(world)
        let outcomes = await withTaskGroup(of: String.self) { group in
            for index in 0..<60 {
                group.addTask {
                    do {
                        _ = try await tokens.create(alice, newToken("t\(index)"))
                        return "created"
                    } catch {
                        return String(describing: error)
                    }
                }
            }
            return await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
        }
        #expect(outcomes == ["created": 50, String(describing: DomainError.conflict(.tooManyTokens)): 10])
        var count = 0
        var cursor: String?
        repeat {
            let page = try await tokens.tokens(alice, page: try PageRequest(limit: 20, cursor: cursor))
            count += page.items.count
            cursor = page.nextCursor
        } while cursor != nil
        #expect(count == 50)
    }

    @Test(
        "twenty parallel requests with one token all authenticate, and last_used_at is written",
        arguments: StoreKind.available)
    func parallelUse(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let tokens = service(world)
        let issued = try await tokens.create(alice, newToken())
        let callers = try await withThrowingTaskGroup(of: UserID.self) { group in
            for _ in 0..<20 { group.addTask { try await tokens.caller(presenting: issued.token).caller.id } }
            return try await group.reduce(into: [UserID]()) { $0.append($1) }
        }
        #expect(callers == Array(repeating: alice.id, count: 20))
        #expect(try await tokens.token(alice, id: issued.record.id).lastUsedAt != nil)
    }

    @Test(
        "two parallel revocations of one token: one revokes it, the other finds it gone", arguments: StoreKind.available
    )
    func parallelRevocation(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let tokens = service(world)
        let issued = try await tokens.create(alice, newToken())
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    do {
                        try await tokens.revoke(alice, id: issued.record.id, precondition: .version(1))
                        return "revoked"
                    } catch {
                        return String(describing: error)
                    }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }.sorted()
        }
        #expect(outcomes == [String(describing: DomainError.notFound(.token)), "revoked"].sorted())
    }

    @Test(
        "a token stops on expiry, on a password change, when its user is disabled and when the user is deleted",
        arguments: StoreKind.available)
    func stops(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let tokens = service(world)
        let issued = try await tokens.create(alice, newToken())
        world.clock.advance(by: 30 * 24 * 3600)
        await #expect(throws: DomainError.unauthenticated) { try await tokens.caller(presenting: issued.token) }

        let second = try await tokens.create(alice, newToken(days: 60))
        world.clock.advance(by: 1)
        try await world.accounts.changePassword(alice, current: "password-alice", new: "password-two")
        await #expect(throws: DomainError.unauthenticated) { try await tokens.caller(presenting: second.token) }

        world.clock.advance(by: 1)
        let third = try await tokens.create(alice, newToken(days: 60))
        #expect(try await tokens.caller(presenting: third.token).caller.id == alice.id)
        try await world.store.transaction { tx in
            guard var user = try await tx.lockUser(alice.id) else { return }
            user.isDisabled = true
            try await tx.updateUser(user)
        }
        await #expect(throws: DomainError.unauthenticated) { try await tokens.caller(presenting: third.token) }
        try await world.store.transaction { tx in try await tx.deleteUser(alice.id) }
        await #expect(throws: DomainError.unauthenticated) { try await tokens.caller(presenting: third.token) }
        let left = try await world.store.transaction { tx in
            try await tx.personalTokens(of: alice.id, after: nil, limit: 100)
        }
        #expect(left.isEmpty)
    }

    @Test("tokens expired past the retention are deleted; others stay", arguments: StoreKind.available)
    func cleanup(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let tokens = service(world)
        let old = try await tokens.create(alice, newToken("old"))
        world.clock.advance(by: 61 * 24 * 3600)
        let young = try await tokens.create(alice, newToken("young", days: 90))
        try await tokens.removeExpiredTokens()
        let left = try await tokens.tokens(alice, page: try PageRequest()).items.map(\.id)
        #expect(left == [young.record.id] && !left.contains(old.record.id))
    }
}
