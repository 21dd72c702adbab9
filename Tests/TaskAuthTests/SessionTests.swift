import Foundation
import Synchronization
import TaskCore
import TaskStore
import TaskTestSupport
import Testing

@testable import TaskAuth

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let instant = Mutex(SteppingClock.start.addingTimeInterval(3600))
    var now: Now { { [self] in instant.withLock { $0 } } }
    func advance(by seconds: TimeInterval) { instant.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

@Suite("Sessions: login limits, refresh tokens, revocation")
struct SessionTests {
    struct Setup {
        let world: TestWorld
        let sessions: SessionService
        let tokens: JWTAccessTokens
        let clock: ManualClock
    }

    func setup(_ kind: StoreKind = .memory) async throws -> Setup {
        let store = try await kind.makeFreshStore()
        let clock = ManualClock()
        let world = TestWorld(store: store)
        let accounts = AccountService(
            store: store, hasher: PlainPasswordHasher(), now: clock.now, ids: CountingIDGenerator())
        let tokens = try await JWTAccessTokens(secret: String(repeating: "k", count: 32), now: clock.now)
        let sessions = SessionService(
            store: store, accounts: accounts, accessTokens: tokens, refreshTokens: RandomRefreshTokens(), now: clock.now
        )
        return Setup(world: world, sessions: sessions, tokens: tokens, clock: clock)
    }

    @Test("login returns a working pair; a wrong password and an unknown email get the same answer")
    func login() async throws {
        let s = try await setup()
        let alice = try await s.world.register("alice")
        let pair = try await s.sessions.login(
            email: "Alice@example.com", password: "password-alice", clientAddress: "10.0.0.1")
        #expect(pair.expiresIn == 1800)
        let caller = try await s.sessions.caller(for: try await s.tokens.verify(pair.accessToken))
        #expect(caller.id == alice.id)
        await #expect(throws: DomainError.invalidCredentials) {
            try await s.sessions.login(email: "alice@example.com", password: "nope-nope", clientAddress: nil)
        }
        await #expect(throws: DomainError.invalidCredentials) {
            try await s.sessions.login(email: "nobody@example.com", password: "password-alice", clientAddress: nil)
        }
    }

    @Test(
        "the 6th failure within 15 minutes and every attempt after it get 429 until the window passes",
        arguments: StoreKind.available)
    func emailLimit(_ kind: StoreKind) async throws {
        let s = try await setup(kind)
        try await s.world.register("alice")
        for _ in 0..<5 {
            await #expect(throws: DomainError.invalidCredentials) {
                try await s.sessions.login(email: "alice@example.com", password: "wrong-password", clientAddress: nil)
            }
            s.clock.advance(by: 60)
        }
        await #expect(throws: DomainError.tooManyAttempts(retryAfterSeconds: 600)) {
            try await s.sessions.login(email: "alice@example.com", password: "wrong-password", clientAddress: nil)
        }
        await #expect(throws: DomainError.tooManyAttempts(retryAfterSeconds: 600)) {
            try await s.sessions.login(email: "alice@example.com", password: "password-alice", clientAddress: nil)
        }
        s.clock.advance(by: 600)
        _ = try await s.sessions.login(email: "alice@example.com", password: "password-alice", clientAddress: nil)
    }

    @Test("a success clears the email's count")
    func successClears() async throws {
        let s = try await setup()
        try await s.world.register("alice")
        for _ in 0..<4 {
            _ = try? await s.sessions.login(email: "alice@example.com", password: "wrong-password", clientAddress: nil)
        }
        _ = try await s.sessions.login(email: "alice@example.com", password: "password-alice", clientAddress: nil)
        for _ in 0..<5 {
            await #expect(throws: DomainError.invalidCredentials) {
                try await s.sessions.login(email: "alice@example.com", password: "wrong-password", clientAddress: nil)
            }
        }
    }

    @Test("the per-address limit stops many emails from one address; other addresses are not affected")
    func addressLimit() async throws {
        var s = try await setup()
        var sessions = s.sessions
        sessions.addressThrottle = LoginThrottle(limit: 3)
        s = Setup(world: s.world, sessions: sessions, tokens: s.tokens, clock: s.clock)
        try await s.world.register("alice")
        for index in 0..<3 {
            _ = try? await s.sessions.login(
                email: "user\(index)@example.com", password: "whatever1", clientAddress: "192.0.2.7")
        }
        await #expect(throws: DomainError.self) {
            try await s.sessions.login(
                email: "alice@example.com", password: "password-alice", clientAddress: "192.0.2.7")
        }
        _ = try await s.sessions.login(
            email: "alice@example.com", password: "password-alice", clientAddress: "192.0.2.8")
    }

    @Test(
        "refresh spends the token and returns a new pair; reusing a spent token revokes every token of the user",
        arguments: StoreKind.available)
    func refreshRotation(_ kind: StoreKind) async throws {
        let s = try await setup(kind)
        try await s.world.register("alice")
        let first = try await s.sessions.login(
            email: "alice@example.com", password: "password-alice", clientAddress: nil)
        let other = try await s.sessions.login(
            email: "alice@example.com", password: "password-alice", clientAddress: nil)
        let second = try await s.sessions.refresh(first.refreshToken)
        #expect(second.refreshToken != first.refreshToken)
        await #expect(throws: DomainError.unauthenticated) { try await s.sessions.refresh(first.refreshToken) }
        await #expect(throws: DomainError.unauthenticated) { try await s.sessions.refresh(second.refreshToken) }
        await #expect(throws: DomainError.unauthenticated) { try await s.sessions.refresh(other.refreshToken) }
        await #expect(throws: DomainError.unauthenticated) { try await s.sessions.refresh("made-up") }
    }

    @Test("logout spends the refresh token; an expired refresh token is refused")
    func logoutAndExpiry() async throws {
        let s = try await setup()
        let alice = try await s.world.register("alice")
        let pair = try await s.sessions.login(
            email: "alice@example.com", password: "password-alice", clientAddress: nil)
        try await s.sessions.logout(alice, refreshToken: pair.refreshToken)
        await #expect(throws: DomainError.unauthenticated) { try await s.sessions.refresh(pair.refreshToken) }
        let later = try await s.sessions.login(
            email: "alice@example.com", password: "password-alice", clientAddress: nil)
        s.clock.advance(by: 31 * 24 * 3600)
        await #expect(throws: DomainError.unauthenticated) { try await s.sessions.refresh(later.refreshToken) }
    }

    @Test("a disabled user's token stops working at once; a password change ends older tokens")
    func revocation() async throws {
        let s = try await setup()
        let alice = try await s.world.register("alice")
        let root = Caller(try await s.world.admin.promote(email: "alice@example.com"))
        let bob = try await s.world.register("bob")
        let bobPair = try await s.sessions.login(email: "bob@example.com", password: "password-bob", clientAddress: nil)
        let bobToken = try await s.tokens.verify(bobPair.accessToken)
        #expect(try await s.sessions.caller(for: bobToken).id == bob.id)
        _ = try await s.world.admin.updateUser(root, id: bob.id, name: nil, isAdmin: nil, isDisabled: true)
        await #expect(throws: DomainError.unauthenticated) { try await s.sessions.caller(for: bobToken) }

        let old = try await s.tokens.verify(
            try await s.sessions.login(email: "alice@example.com", password: "password-alice", clientAddress: nil)
                .accessToken)
        s.clock.advance(by: 1)
        let accounts = AccountService(
            store: s.world.store, hasher: PlainPasswordHasher(), now: s.clock.now, ids: CountingIDGenerator())
        try await accounts.changePassword(alice, current: "password-alice", new: "password-new")
        await #expect(throws: DomainError.unauthenticated) { try await s.sessions.caller(for: old) }
        let fresh = try await s.sessions.login(email: "alice@example.com", password: "password-new", clientAddress: nil)
        #expect(try await s.sessions.caller(for: try await s.tokens.verify(fresh.accessToken)).id == alice.id)
    }
}
