import Foundation
import TaskCore
import TaskTestSupport
import Testing

/// The reads that take a personal access token's digest as the claim, and the reads of a user's own tokens with the
/// claim's user: each store must give what the reads by the user's id and the one-by-one reads give.
@Suite("Store conformance: reads through a personal access token, and of a user's tokens")
struct TokenClaimConformanceTests {
    @Test(
        "a page of a user's personal access tokens read with the user is the page read alone, page after page; an empty page for a user without tokens; nothing for an unknown user",
        arguments: StoreKind.available)
    func claimedTokenPage(_ kind: StoreKind) async throws {
        let scene = try await AccessFactConformanceTests.Scene(kind)
        let (tokens, minter, clock, expiry) = scene.personalTokens()
        var issued: [IssuedPersonalToken] = []
        for name in ["one", "two", "three"] {
            issued.append(
                try await tokens.create(scene.bob, NewPersonalToken(name: name, scopes: ["read"], expiresAt: expiry)))
        }
        var after: PagePosition?
        var seen: [PersonalAccessToken] = []
        repeat {
            let (claimed, alone, user) = try await scene.store.transaction { [after, scene] tx in
                (
                    try await tx.personalTokens(claimedBy: .user(scene.bob.id), after: after, limit: 2),
                    try await tx.personalTokens(of: scene.bob.id, after: after, limit: 2),
                    try await tx.user(scene.bob.id)
                )
            }
            #expect(claimed.user == user && user != nil && claimed.token == nil)
            #expect(claimed.facts == alone)
            seen += alone
            after = alone.count == 2 ? alone.last.map { PagePosition(value: .date($0.createdAt), id: $0.id.uuid) } : nil
        } while after != nil
        #expect(seen.map(\.id) == issued.map(\.record.id))

        let (alices, unknown) = try await scene.store.transaction { [scene] tx in
            (
                try await tx.personalTokens(claimedBy: .user(scene.alice.id), after: nil, limit: 10),
                try await tx.personalTokens(claimedBy: .user(UserID(UUID())), after: nil, limit: 10)
            )
        }
        #expect(alices.user?.id == scene.alice.id && alices.facts == [])
        #expect(unknown == ClaimedAccess(user: nil, facts: nil))

        // Through a personal access token: the token and its user, with the same page.
        let now = clock.now()
        let lookup = ClaimIdentity.personalToken(
            PersonalTokenLookup(digest: minter.digest(of: issued[0].token), at: now, touchingBefore: now))
        let viaToken = try await scene.store.transaction { tx in
            try await tx.personalTokens(claimedBy: lookup, after: nil, limit: 10)
        }
        #expect(viaToken.user?.id == scene.bob.id && viaToken.token?.id == issued[0].record.id)
        #expect(viaToken.facts?.map(\.id) == issued.map(\.record.id))
    }

    @Test(
        "a user's personal access token read (or locked) with the user is the token read alone; another user's is not found; nothing for an unknown user",
        arguments: StoreKind.available)
    func claimedToken(_ kind: StoreKind) async throws {
        let scene = try await AccessFactConformanceTests.Scene(kind)
        let (tokens, minter, clock, expiry) = scene.personalTokens()
        let bobs = try await tokens.create(
            scene.bob, NewPersonalToken(name: "bob's", scopes: ["read"], expiresAt: expiry))
        let id = bobs.record.id
        let (claimed, alone, user, asAlice, unknown) = try await scene.store.transaction { [scene] tx in
            (
                try await tx.personalToken(id, claimedBy: .user(scene.bob.id)),
                try await tx.personalToken(id, of: scene.bob.id),
                try await tx.user(scene.bob.id),
                try await tx.personalToken(id, claimedBy: .user(scene.alice.id)),
                try await tx.personalToken(id, claimedBy: .user(UserID(UUID())))
            )
        }
        #expect(claimed.user == user && user != nil && claimed.token == nil)
        #expect(claimed.facts == alone && alone?.id == id)
        #expect(asAlice.user?.id == scene.alice.id && asAlice.facts == nil)
        let (locked, lockedAsAlice) = try await scene.store.transaction { [scene] tx in
            (
                try await tx.lockPersonalToken(id, claimedBy: .user(scene.bob.id)),
                try await tx.lockPersonalToken(id, claimedBy: .user(scene.alice.id))
            )
        }
        #expect(locked == claimed && lockedAsAlice == asAlice)
        #expect(unknown == ClaimedAccess(user: nil, facts: nil))

        let now = clock.now()
        let lookup = ClaimIdentity.personalToken(
            PersonalTokenLookup(digest: minter.digest(of: bobs.token), at: now, touchingBefore: now))
        let viaToken = try await scene.store.transaction { tx in try await tx.personalToken(id, claimedBy: lookup) }
        #expect(viaToken.user?.id == scene.bob.id && viaToken.token?.id == id && viaToken.facts?.id == id)
    }

    @Test(
        "reads through a personal access token's digest give the token, its user and the facts a read by the user's id gives; nothing for an unknown token; the token's last use written once a minute",
        arguments: StoreKind.available)
    func tokenClaimedFacts(_ kind: StoreKind) async throws {
        let scene = try await AccessFactConformanceTests.Scene(kind)
        let (tokens, minter, clock, expiry) = scene.personalTokens()
        let issued = try await tokens.create(
            scene.bob,
            NewPersonalToken(name: "bot", scopes: ["read"], expiresAt: expiry))
        func lookup(_ token: String) -> (ClaimIdentity, at: Date) {
            let at = clock.now()
            let lookup = PersonalTokenLookup(
                digest: minter.digest(of: token), at: at, touchingBefore: at.addingTimeInterval(-60))
            return (.personalToken(lookup), at.truncatedToMilliseconds)
        }
        let bob = ClaimIdentity.user(scene.bob.id)
        let (byToken, firstUse) = lookup(issued.token)
        let (task, project, workspace, members, lockedTask, lockedProject) = try await scene.store.transaction {
            [scene] tx in
            (
                try await tx.taskAccess(scene.projectTask.id, claimedBy: byToken),
                try await tx.projectAccess(scene.project.id, claimedBy: byToken),
                try await tx.workspaceAccess(scene.project.workspaceID, claimedBy: byToken),
                try await tx.workspaceMemberships(claimedBy: byToken),
                try await tx.taskAccess(scene.projectTask.id, claimedBy: byToken, locking: .update),
                try await tx.projectAccess(scene.project.id, claimedBy: byToken, locking: .share)
            )
        }
        let lockedWorkspace = try await scene.store.transaction { [scene] tx in
            try await tx.workspaceAccess(scene.project.workspaceID, claimedBy: byToken, locking: .update)
        }
        let (taskByID, projectByID, workspaceByID, membersByID) = try await scene.store.transaction { [scene] tx in
            (
                try await tx.taskAccess(scene.projectTask.id, claimedBy: bob),
                try await tx.projectAccess(scene.project.id, claimedBy: bob),
                try await tx.workspaceAccess(scene.project.workspaceID, claimedBy: bob),
                try await tx.workspaceMemberships(claimedBy: bob)
            )
        }
        for found in [task.token, project.token, workspace.token, members.token, lockedTask.token, lockedProject.token]
        {
            #expect(found?.id == issued.record.id && found?.userID == scene.bob.id && found?.lastUsedAt == firstUse)
        }
        #expect(task.user == taskByID.user && task.user?.id == scene.bob.id && taskByID.token == nil)
        #expect(task.facts == taskByID.facts && task.facts?.projectMemberRole == .viewer)
        #expect(lockedTask.facts == taskByID.facts && lockedTask.user == taskByID.user)
        #expect(project.facts == projectByID.facts && lockedProject.facts == projectByID.facts)
        #expect(workspace.facts == workspaceByID.facts && workspace.facts?.memberRole == .member)
        #expect(lockedWorkspace.facts == workspaceByID.facts && lockedWorkspace.token?.id == issued.record.id)
        let inOrder = { (members: [WorkspaceMember]?) in members?.sorted { $0.workspaceID.uuid < $1.workspaceID.uuid } }
        #expect(inOrder(members.facts) == inOrder(membersByID.facts) && members.user == membersByID.user)

        // A token nobody made finds nothing, whichever read.
        let (unknown, _) = lookup(
            PersonalTokenText.token(random: String(repeating: "z", count: PersonalTokenText.randomLength)))
        let nothing = try await scene.store.transaction { [scene] tx in
            (
                try await tx.taskAccess(scene.projectTask.id, claimedBy: unknown),
                try await tx.projectAccess(scene.project.id, claimedBy: unknown, locking: .update),
                try await tx.workspaceMemberships(claimedBy: unknown)
            )
        }
        #expect(nothing.0 == ClaimedTaskAccess(user: nil, facts: nil))
        #expect(nothing.1 == ClaimedProjectAccess(user: nil, facts: nil))
        #expect(nothing.2 == ClaimedMemberships(user: nil, facts: nil))

        // `last_used_at` moves once it is a minute old, not before.
        func use(after seconds: Int64) async throws -> (lastUse: Date?, at: Date) {
            clock.advance(by: seconds)
            let (identity, at) = lookup(issued.token)
            let lastUse = try await scene.store.transaction { [scene] tx in
                try await tx.taskAccess(scene.looseTask.id, claimedBy: identity).token?.lastUsedAt
            }
            return (lastUse, at)
        }
        #expect(try await use(after: 30).lastUse == firstUse)
        let later = try await use(after: 31)
        #expect(later.lastUse == later.at && later.at > firstUse)
        #expect(try await tokens.token(scene.bob, id: issued.record.id).lastUsedAt == later.at)
    }
}
