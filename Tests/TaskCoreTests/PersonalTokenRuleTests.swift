import Foundation
import TaskCore
import TaskTestSupport
import Testing

/// The rules of personal access tokens, without a store or HTTP: the token's text, scopes, what no token may do,
/// and narrowing to some workspaces.
@Suite("Personal access token rules")
struct PersonalTokenRuleTests {
    @Test("the checksum is zlib's CRC32 in 6 base62 digits, and a look-alike fails the check")
    func text() {
        #expect(PersonalTokenText.checksum(of: Array("123456789".utf8)) == "3jZRME")  // CRC32 0xCBF43926
        let random = "abcdefghijABCDEFGHIJ0123456789"
        let token = PersonalTokenText.token(random: random)
        #expect(token == "tdp_" + random + "2C2O59" && token.count == PersonalTokenText.length)
        #expect(PersonalTokenText.isWellFormed(token) && PersonalTokenText.isPersonalToken(token))
        #expect(PersonalTokenText.displayPrefix(of: token) == "tdp_abcd")
        let lookAlikes = [
            "tdp_" + "bbcdefghijABCDEFGHIJ0123456789" + "2C2O59",  // one character changed
            "tdp_" + random + "2C2O5A",  // checksum changed
            "tdp_" + random + "2C2O5",  // too short
            "tdx_" + random + "2C2O59",  // another marker
            "tdp_" + "abcdefghijABCDEFGHIJ012345678-"
                + PersonalTokenText.checksum(of: Array("abcdefghijABCDEFGHIJ012345678-".utf8)),
            "tdp_" + random + "2C2O59 ",
        ]
        for text in lookAlikes { #expect(!PersonalTokenText.isWellFormed(text), "\(text)") }
        #expect(!PersonalTokenText.isPersonalToken("eyJhbGciOiJIUzI1NiJ9.e30.x"))
    }

    @Test("secrets compare equal only when every byte is")
    func constantTime() {
        #expect(ConstantTime.isEqual("abc", "abc"))
        #expect(!ConstantTime.isEqual("abc", "abd") && !ConstantTime.isEqual("abc", "abcd"))
    }

    @Test("a grant allows a route whose scope it holds, and denies one it lacks, naming the scope")
    func scopes() throws {
        for scope in TokenScope.allCases {
            let holder = TokenGrant(scopes: [scope])
            try holder.authorize(.needs(scope))
            try holder.authorize(.open)
            let lacking = TokenGrant(scopes: Set(TokenScope.allCases).subtracting([scope]))
            #expect(throws: DomainError.insufficientScope(scope)) { try lacking.authorize(.needs(scope)) }
        }
    }

    @Test("no grant reaches a session-only route, however wide; a signed-in caller has no grant")
    func sessionOnly() {
        let everything = TokenGrant(scopes: Set(TokenScope.allCases))
        #expect(throws: DomainError.forbidden) { try everything.authorize(.sessionOnly) }
        for route in [
            "POST /api/v1/users/me/tokens", "GET /api/v1/users/me/tokens", "POST /api/v1/users/me/password",
            "PATCH /api/v1/users/me", "GET /api/v1/users", "DELETE /api/v1/users/{id}", "POST /api/v1/auth/logout",
        ] {
            let parts = route.split(separator: " ").map(String.init)
            #expect(TokenRouteRules.rule(method: parts[0], path: parts[1]) == .sessionOnly, "\(route)")
        }
        #expect(TokenRouteRules.rule(method: "GET", path: "/api/v1/not-a-route") == .sessionOnly)
        #expect(TokenRouteRules.rule(method: "get", path: "/api/v1/tasks/{id}") == .needs(.read))
        #expect(TokenRouteRules.rule(method: "POST", path: "/api/v1/tasks/{id}/comments") == .needs(.tasksWrite))
    }

    @Test("user administration: allowed to a signed-in system administrator, denied to the same one with a token")
    func administration() {
        let admin = Caller(id: UserID(UUID()), isSystemAdmin: true)
        #expect(AccessPolicy.canAdministerUsers(admin))
        var withToken = admin
        withToken.grant = TokenGrant(scopes: Set(TokenScope.allCases))
        #expect(!AccessPolicy.canAdministerUsers(withToken))
    }

    @Test("a narrowed caller reaches its workspaces only; a narrowed system administrator sees as their owner only")
    func narrowing() {
        let inside = WorkspaceID(UUID())
        let outside = WorkspaceID(UUID())
        let user = UserID(UUID())
        let memberships = [inside, outside].map {
            WorkspaceMember(workspaceID: $0, userID: user, role: .member, joinedAt: SteppingClock.start)
        }
        let grant = TokenGrant(scopes: [.read], workspaceIDs: [inside])
        let caller = Caller(id: user, grant: grant)
        #expect(caller.reaches(inside) && !caller.reaches(outside))
        #expect(Caller(id: user).reaches(outside))
        let scope = VisibilityScope(caller: caller, memberships: memberships)
        #expect(scope.anyRoleWorkspaces == [inside] && scope.memberWorkspaces == [inside])

        let admin = VisibilityScope(caller: Caller(id: user, isSystemAdmin: true, grant: grant), memberships: [])
        #expect(!admin.isUnrestricted && admin.adminWorkspaces == [inside])
        #expect(VisibilityScope(caller: Caller(id: user, isSystemAdmin: true), memberships: []).isUnrestricted)
    }

    @Test(
        "use cases refuse what a token never does: make tokens, change the password or email, narrowed creation of workspaces"
    )
    func useCases() async throws {
        let world = TestWorld()
        let ann = try await world.register("ann")
        let workspace = try await world.workspace(owner: ann)
        var token = ann
        token.grant = TokenGrant(scopes: Set(TokenScope.allCases))
        let tokens = PersonalTokenService(store: world.store, minter: CountingPersonalTokens(), now: world.clock.now)
        let input = NewPersonalToken(
            name: "x", scopes: ["read"], expiresAt: SteppingClock.start.addingTimeInterval(3600))
        await #expect(throws: DomainError.forbidden) { try await tokens.create(token, input) }
        await #expect(throws: DomainError.forbidden) { try await tokens.tokens(token, page: try PageRequest()) }
        await #expect(throws: DomainError.forbidden) {
            try await world.accounts.changePassword(token, current: "password-ann", new: "password-new")
        }
        await #expect(throws: DomainError.forbidden) {
            try await world.accounts.updateMe(token, name: nil, email: "new@example.com")
        }
        _ = try await world.workspaces.create(token, name: "Wide token may")
        var narrowed = token
        narrowed.grant?.workspaceIDs = [workspace]
        await #expect(throws: DomainError.forbidden) { try await world.workspaces.create(narrowed, name: "No") }
        #expect(try await tokens.create(ann, input).record.userID == ann.id)
    }
}
