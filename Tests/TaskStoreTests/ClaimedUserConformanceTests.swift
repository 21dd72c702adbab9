import Foundation
import TaskCore
import TaskTestSupport
import Testing

/// An administrator's reads of other users, with the claim's user read in the same store read.
@Suite("Store conformance: users read with the claim's user")
struct ClaimedUserConformanceTests {
    @Test(
        "another user read (or locked) with the claim's user is the user read alone; a missing one is none; nothing for an unknown claim",
        arguments: StoreKind.available)
    func claimedUser(_ kind: StoreKind) async throws {
        let scene = try await AccessFactConformanceTests.Scene(kind)
        let missing = UserID(UUID())
        let (claimed, locked, alone, caller, absent, unknown, own) = try await scene.store.transaction { [scene] tx in
            (
                try await tx.user(scene.bob.id, claimedBy: .user(scene.alice.id)),
                try await tx.lockUser(scene.bob.id, claimedBy: .user(scene.alice.id)),
                try await tx.user(scene.bob.id),
                try await tx.user(scene.alice.id),
                try await tx.user(missing, claimedBy: .user(scene.alice.id)),
                try await tx.lockUser(scene.bob.id, claimedBy: .user(missing)),
                try await tx.lockUser(scene.alice.id, claimedBy: .user(scene.alice.id))
            )
        }
        #expect(claimed.user == caller && caller?.id == scene.alice.id && claimed.token == nil)
        #expect(claimed.facts == alone && alone?.id == scene.bob.id)
        #expect(locked == claimed)
        #expect(absent.user == caller && absent.facts == nil)
        #expect(unknown == ClaimedAccess(user: nil, facts: nil))
        #expect(own.user == caller && own.facts == caller, "an administrator may name themself")

        // Through a personal access token: the token and its user, with the same other user.
        let (tokens, minter, clock, expiry) = scene.personalTokens()
        let issued = try await tokens.create(
            scene.alice, NewPersonalToken(name: "t", scopes: ["read"], expiresAt: expiry))
        let now = clock.now()
        let lookup = ClaimIdentity.personalToken(
            PersonalTokenLookup(digest: minter.digest(of: issued.token), at: now, touchingBefore: now))
        let viaToken = try await scene.store.transaction { [scene] tx in
            try await tx.user(scene.bob.id, claimedBy: lookup)
        }
        #expect(viaToken.user?.id == scene.alice.id && viaToken.token?.id == issued.record.id)
        #expect(viaToken.facts == alone)
    }

    @Test(
        "a page of every user read with the claim's user is the page read alone, page after page; nothing for an unknown claim",
        arguments: StoreKind.available)
    func claimedUserPage(_ kind: StoreKind) async throws {
        let scene = try await AccessFactConformanceTests.Scene(kind)
        var after: PagePosition?
        var seen: [User] = []
        repeat {
            let (claimed, alone, caller) = try await scene.store.transaction { [after, scene] tx in
                (
                    try await tx.users(claimedBy: .user(scene.carol.id), after: after, limit: 3),
                    try await tx.users(after: after, limit: 3),
                    try await tx.user(scene.carol.id)
                )
            }
            #expect(claimed.user == caller && caller != nil && claimed.token == nil)
            #expect(claimed.facts == alone)
            seen += alone
            after = alone.count == 3 ? alone.last.map { PagePosition(value: .date($0.createdAt), id: $0.id.uuid) } : nil
        } while after != nil
        let all = try await scene.store.transaction { tx in try await tx.users(after: nil, limit: 100) }
        #expect(seen == all && all.count >= 4)

        let (past, unknown) = try await scene.store.transaction { [scene] tx in
            let last = try #require(all.last)
            return (
                try await tx.users(
                    claimedBy: .user(scene.carol.id),
                    after: PagePosition(value: .date(last.createdAt), id: last.id.uuid),
                    limit: 3),
                try await tx.users(claimedBy: .user(UserID(UUID())), after: nil, limit: 3)
            )
        }
        #expect(past.user?.id == scene.carol.id && past.facts == [])
        #expect(unknown == ClaimedAccess(user: nil, facts: nil))
    }

    @Test(
        "a user's tokens read with the administrator's user are the page read alone; none for an unknown user; a token locked with it is the token; nothing for an unknown claim",
        arguments: StoreKind.available)
    func claimedTokensOfAUser(_ kind: StoreKind) async throws {
        let scene = try await AccessFactConformanceTests.Scene(kind)
        let (tokens, _, _, expiry) = scene.personalTokens()
        var issued: [IssuedPersonalToken] = []
        for name in ["one", "two", "three"] {
            issued.append(
                try await tokens.create(scene.bob, NewPersonalToken(name: name, scopes: ["read"], expiresAt: expiry)))
        }
        let admin = ClaimIdentity.user(scene.alice.id)
        var after: PagePosition?
        var seen: [PersonalAccessToken] = []
        repeat {
            let (claimed, alone, caller) = try await scene.store.transaction { [after, scene] tx in
                (
                    try await tx.personalTokens(of: scene.bob.id, claimedBy: admin, after: after, limit: 2),
                    try await tx.personalTokens(of: scene.bob.id, after: after, limit: 2),
                    try await tx.user(scene.alice.id)
                )
            }
            #expect(claimed.user == caller && caller != nil && claimed.token == nil)
            #expect(claimed.facts == alone)
            seen += alone
            after = alone.count == 2 ? alone.last.map { PagePosition(value: .date($0.createdAt), id: $0.id.uuid) } : nil
        } while after != nil
        #expect(seen.map(\.id) == issued.map(\.record.id))

        let id = issued[0].record.id
        let (none, nobody, unknown, locked, alone, elsewhere) = try await scene.store.transaction { [scene] tx in
            (
                try await tx.personalTokens(of: scene.carol.id, claimedBy: admin, after: nil, limit: 10),
                try await tx.personalTokens(of: UserID(UUID()), claimedBy: admin, after: nil, limit: 10),
                try await tx.personalTokens(of: scene.bob.id, claimedBy: .user(UserID(UUID())), after: nil, limit: 10),
                try await tx.lockPersonalToken(id, of: scene.bob.id, claimedBy: admin),
                try await tx.personalToken(id, of: scene.bob.id),
                try await tx.lockPersonalToken(id, of: scene.carol.id, claimedBy: admin)
            )
        }
        #expect(none.user?.id == scene.alice.id && none.facts == [], "a user without tokens")
        #expect(nobody.user?.id == scene.alice.id && nobody.facts == nil, "no such user")
        #expect(unknown == ClaimedAccess(user: nil, facts: nil))
        #expect(locked.user?.id == scene.alice.id && locked.facts == alone && alone?.id == id)
        #expect(elsewhere.user?.id == scene.alice.id && elsewhere.facts == nil, "another user's token")
    }
}
