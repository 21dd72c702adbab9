import Foundation
import TaskCore
import TaskTestSupport
import Testing

@testable import TaskAuth
@testable import TaskStore

/// Limits that must hold under parallel attack, and sessions that must stay ended, on every store.
@Suite("Sessions: limits under concurrency, revocation that lasts")
struct SessionLimitTests {
    struct Setup {
        let store: any DataStore
        let accounts: AccountService
        let admin: UserAdministration
        let sessions: SessionService
        let tokens: JWTAccessTokens
        let clock: ManualClock
    }

    /// Every service on one manual clock, so that "before" and "after" mean the same to all of them.
    func setup(_ kind: StoreKind, registrationThrottle: LoginThrottle? = nil) async throws -> Setup {
        let store = try await kind.makeFreshStore()
        let clock = ManualClock()
        let ids = CountingIDGenerator()
        var accounts = AccountService(store: store, hasher: PlainPasswordHasher(), now: clock.now, ids: ids)
        accounts.registrationThrottle = registrationThrottle
        let tokens = try await JWTAccessTokens(secret: String(repeating: "k", count: 32), now: clock.now)
        let sessions = SessionService(
            store: store, accounts: accounts, accessTokens: tokens, refreshTokens: RandomRefreshTokens(), now: clock.now
        )
        return Setup(
            store: store, accounts: accounts, admin: UserAdministration(store: store, now: clock.now, ids: ids),
            sessions: sessions, tokens: tokens, clock: clock)
    }

    func register(_ name: String, in s: Setup) async throws -> Caller {
        Caller(try await s.accounts.register(email: "\(name)@example.com", password: "password-\(name)", name: name))
    }

    /// Runs `count` copies of `attempt` at once and returns what each threw (`nil` for success).
    func parallel(_ count: Int, _ attempt: @escaping @Sendable () async throws -> Void) async -> [DomainError?] {
        await withTaskGroup(of: DomainError?.self) { group in
            for _ in 0..<count {
                group.addTask {
                    do {
                        try await attempt()
                        return nil
                    } catch let error as DomainError {
                        return error
                    } catch {
                        return .storeUnavailable
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("30 parallel wrong guesses: exactly 5 are checked, the other 25 get 429", arguments: StoreKind.available)
    func parallelLoginGuesses(_ kind: StoreKind) async throws {
        let s = try await setup(kind)
        _ = try await register("alice", in: s)
        let sessions = s.sessions
        let outcomes = await parallel(30) {
            _ = try await sessions.login(
                email: "alice@example.com", password: "wrong-password", clientAddress: "192.0.2.1")
        }
        #expect(outcomes.filter { $0 == .invalidCredentials }.count == 5)
        #expect(outcomes.filter { if case .tooManyAttempts = $0 { true } else { false } }.count == 25)
        await #expect(throws: DomainError.self) {
            try await sessions.login(email: "alice@example.com", password: "password-alice", clientAddress: "192.0.2.1")
        }
    }

    @Test(
        "password changes are limited like logins: the 6th attempt within 15 minutes gets 429, parallel or not",
        arguments: StoreKind.available)
    func passwordChangeGuesses(_ kind: StoreKind) async throws {
        let s = try await setup(kind)
        let alice = try await register("alice", in: s)
        let accounts = s.accounts
        let outcomes = await parallel(20) {
            try await accounts.changePassword(alice, current: "guess-guess", new: "password-new")
        }
        #expect(outcomes.filter { $0 == .wrongPassword }.count == 5)
        #expect(outcomes.filter { if case .tooManyAttempts = $0 { true } else { false } }.count == 15)
        await #expect(throws: DomainError.tooManyAttempts(retryAfterSeconds: 900)) {
            try await accounts.changePassword(alice, current: "password-alice", new: "password-new")
        }
        s.clock.advance(by: 900)
        try await accounts.changePassword(alice, current: "password-alice", new: "password-new")
    }

    @Test(
        "registrations per client address are limited, also in parallel; other addresses and embedders are not",
        arguments: StoreKind.available)
    func registrationLimit(_ kind: StoreKind) async throws {
        let s = try await setup(kind, registrationThrottle: LoginThrottle(limit: 3, window: .seconds(3600)))
        let accounts = s.accounts
        let counter = CountingIDGenerator()
        let outcomes = await parallel(10) {
            _ = try await accounts.register(
                email: "u\(counter.next().uuidString.suffix(4))@example.com", password: "password-x", name: "U",
                clientAddress: "198.51.100.4")
        }
        #expect(outcomes.filter { $0 == nil }.count == 3)
        #expect(outcomes.filter { $0 == .tooManyAttempts(retryAfterSeconds: 3600) }.count == 7)
        _ = try await accounts.register(
            email: "other@example.com", password: "password-x", name: "O", clientAddress: "198.51.100.5")
        _ = try await accounts.register(email: "embedded@example.com", password: "password-x", name: "E")
        s.clock.advance(by: 3600)
        _ = try await accounts.register(
            email: "later@example.com", password: "password-x", name: "L", clientAddress: "198.51.100.4")
    }

    @Test("a refresh token issued before a password change no longer refreshes", arguments: StoreKind.available)
    func refreshAfterPasswordChange(_ kind: StoreKind) async throws {
        let s = try await setup(kind)
        let alice = try await register("alice", in: s)
        let pair = try await s.sessions.login(
            email: "alice@example.com", password: "password-alice", clientAddress: nil)
        s.clock.advance(by: 1)
        try await s.accounts.changePassword(alice, current: "password-alice", new: "password-new")
        await #expect(throws: DomainError.unauthenticated) { try await s.sessions.refresh(pair.refreshToken) }
        let fresh = try await s.sessions.login(email: "alice@example.com", password: "password-new", clientAddress: nil)
        _ = try await s.sessions.refresh(fresh.refreshToken)
    }

    @Test(
        "disabling a user ends their sessions for good: enabling them again revives no old token",
        arguments: StoreKind.available)
    func disableThenEnable(_ kind: StoreKind) async throws {
        let s = try await setup(kind)
        _ = try await register("root", in: s)
        let root = Caller(try await s.admin.promote(email: "root@example.com"))
        let bob = try await register("bob", in: s)
        let pair = try await s.sessions.login(email: "bob@example.com", password: "password-bob", clientAddress: nil)
        let access = try await s.tokens.verify(pair.accessToken)
        s.clock.advance(by: 1)
        _ = try await s.admin.updateUser(root, id: bob.id, name: nil, isAdmin: nil, isDisabled: true)
        _ = try await s.admin.updateUser(root, id: bob.id, name: nil, isAdmin: nil, isDisabled: false)
        await #expect(throws: DomainError.unauthenticated) { try await s.sessions.refresh(pair.refreshToken) }
        await #expect(throws: DomainError.unauthenticated) { try await s.sessions.caller(for: access) }
        s.clock.advance(by: 1)
        let fresh = try await s.sessions.login(email: "bob@example.com", password: "password-bob", clientAddress: nil)
        #expect(try await s.sessions.caller(for: try await s.tokens.verify(fresh.accessToken)).id == bob.id)
    }

    @Test(
        "a login email with a NUL or longer than any address is a 422 naming email, on every store",
        arguments: StoreKind.available)
    func unusableLoginEmails(_ kind: StoreKind) async throws {
        let s = try await setup(kind)
        for email in ["alice\u{0}@example.com", String(repeating: "a", count: 3000) + "@example.com"] {
            await #expect(throws: DomainError.self) {
                do {
                    _ = try await s.sessions.login(email: email, password: "password-alice", clientAddress: "192.0.2.1")
                } catch DomainError.validation(let errors) {
                    #expect(errors.map(\.field) == ["email"])
                    throw DomainError.validation(errors)
                }
            }
        }
    }
}

@Suite("Memory: nothing grows without bound between clean-ups")
struct CleanupTests {
    @Test("after the clean-up, no expired refresh token and no attempt older than every window is left in memory")
    func cleanupEmptiesSpentRows() async throws {
        let store = MemoryStore()
        let clock = ManualClock()
        var accounts = AccountService(
            store: store, hasher: PlainPasswordHasher(), now: clock.now, ids: CountingIDGenerator())
        accounts.registrationThrottle = LoginThrottle(limit: 100, window: .seconds(3600))
        let tokens = try await JWTAccessTokens(secret: String(repeating: "k", count: 32), now: clock.now)
        var sessions = SessionService(
            store: store, accounts: accounts, accessTokens: tokens, refreshTokens: RandomRefreshTokens(), now: clock.now
        )
        sessions.refreshLifetime = .seconds(3600)
        let alice = Caller(
            try await accounts.register(
                email: "alice@example.com", password: "password-a", name: "A", clientAddress: "192.0.2.1"))
        for _ in 0..<3 {
            _ = try await sessions.login(email: "alice@example.com", password: "password-a", clientAddress: "192.0.2.1")
        }
        for _ in 0..<3 {
            _ = try? await sessions.login(
                email: "alice@example.com", password: "wrong-pass", clientAddress: "192.0.2.2")
        }
        _ = try? await accounts.changePassword(alice, current: "wrong-pass", new: "password-b")
        let before = store.state
        #expect(before.refreshTokens.count == 3 && !before.loginFailures.isEmpty)
        clock.advance(by: 2 * 3600)
        try await sessions.removeExpiredRecords()
        let after = store.state
        #expect(after.refreshTokens.isEmpty)
        #expect(after.loginFailures.isEmpty, "\(after.loginFailures.keys)")
    }
}
