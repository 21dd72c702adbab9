import TaskCore
import TaskTestSupport
import Testing

@Suite("Accounts: registration, profile, password, administration")
struct AccountUseCaseTests {
    let world = TestWorld()

    @Test("registration makes the user and a personal workspace they own")
    func registration() async throws {
        let user = try await world.accounts.register(
            email: " Alice@Example.com ", password: "correct horse", name: " Alice ")
        #expect(user.email.value == "alice@example.com" && user.name == "Alice" && !user.isAdmin)
        let caller = Caller(user)
        let list = try await world.workspaces.workspaces(caller, page: .first)
        #expect(list.items.map(\.workspace.name) == ["Personal"])
        #expect(list.items.map(\.role) == [.owner])
        #expect(list.items.first?.workspace.id == user.personalWorkspaceID)
    }

    @Test("a taken email (any case) is a conflict, and nothing of the second registration is kept")
    func emailTaken() async throws {
        try await world.register("alice")
        await #expect(throws: DomainError.conflict(.emailTaken)) {
            try await world.accounts.register(email: "ALICE@example.com", password: "password2", name: "Other")
        }
    }

    @Test("registration reports every bad field at once")
    func registrationValidation() async throws {
        do {
            _ = try await world.accounts.register(email: "nope", password: "short", name: "")
            Issue.record("expected a validation error")
        } catch DomainError.validation(let errors) {
            #expect(errors.map(\.field) == ["email", "password", "name"])
        }
    }

    @Test("login: right password allowed; wrong password, unknown email and disabled account denied alike")
    func authenticate() async throws {
        let alice = try await world.register("alice")
        #expect(
            try await world.accounts.authenticate(email: "alice@example.com", password: "password-alice").id == alice.id
        )
        await #expect(throws: DomainError.invalidCredentials) {
            try await world.accounts.authenticate(email: "alice@example.com", password: "wrong-password")
        }
        await #expect(throws: DomainError.invalidCredentials) {
            try await world.accounts.authenticate(email: "nobody@example.com", password: "password-alice")
        }
        let root = try await world.admin.promote(email: "alice@example.com")
        let bob = try await world.register("bob")
        _ = try await world.admin.updateUser(Caller(root), id: bob.id, name: nil, isAdmin: nil, isDisabled: true)
        await #expect(throws: DomainError.invalidCredentials) {
            try await world.accounts.authenticate(email: "bob@example.com", password: "password-bob")
        }
        await #expect(throws: DomainError.unauthenticated) { try await world.accounts.caller(for: bob.id) }
    }

    @Test("changing the password needs the current one")
    func changePassword() async throws {
        let alice = try await world.register("alice")
        await #expect(throws: DomainError.wrongPassword) {
            try await world.accounts.changePassword(alice, current: "wrong-password", new: "new-password")
        }
        try await world.accounts.changePassword(alice, current: "password-alice", new: "new-password")
        let user = try await world.accounts.authenticate(email: "alice@example.com", password: "new-password")
        #expect(user.passwordChangedAt > user.createdAt)
    }

    @Test("changing one's email to a taken one is a conflict")
    func updateMe() async throws {
        let alice = try await world.register("alice")
        try await world.register("bob")
        await #expect(throws: DomainError.conflict(.emailTaken)) {
            try await world.accounts.updateMe(alice, name: nil, email: "Bob@example.com")
        }
        let renamed = try await world.accounts.updateMe(alice, name: "Alicia", email: "alicia@example.com")
        #expect(renamed.name == "Alicia" && renamed.email.value == "alicia@example.com")
    }

    @Test("user administration: a system administrator is allowed, anyone else forbidden")
    func administration() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        await #expect(throws: DomainError.forbidden) { try await world.admin.users(alice, page: .first) }
        await #expect(throws: DomainError.forbidden) { try await world.admin.user(alice, id: bob.id) }
        let root = Caller(try await world.admin.promote(email: "alice@example.com"))
        #expect(try await world.admin.users(root, page: .first).items.count == 2)
        let updated = try await world.admin.updateUser(root, id: bob.id, name: "Robert", isAdmin: true, isDisabled: nil)
        #expect(updated.name == "Robert" && updated.isAdmin)
    }

    @Test("deleting a user who is the last owner of a shared workspace is refused; otherwise it goes")
    func deleteUser() async throws {
        let root = try await world.register("root")
        let admin = Caller(try await world.admin.promote(email: "root@example.com"))
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        _ = try await world.workspace(owner: alice, members: [(bob, .member)])
        await #expect(throws: DomainError.conflict(.lastOwner)) {
            try await world.admin.deleteUser(admin, id: alice.id)
        }
        try await world.admin.deleteUser(admin, id: bob.id)
        await #expect(throws: DomainError.notFound(.user)) { try await world.admin.user(admin, id: bob.id) }
        _ = root
    }
}
