import Foundation

/// Registration, the caller's own account, password changes and user administration.
public struct AccountService: Sendable {
    let store: any DataStore
    let hasher: any PasswordHasher
    let now: Now
    let ids: any IDGenerator

    /// The name of the workspace every user gets at registration.
    public static let personalWorkspaceName = "Personal"

    /// Creates the service.
    public init(store: any DataStore, hasher: any PasswordHasher, now: @escaping Now, ids: any IDGenerator) {
        self.store = store
        self.hasher = hasher
        self.now = now
        self.ids = ids
    }

    /// Registers a user and their personal workspace ("Personal", owned by them), atomically.
    /// - Throws: `.validation` for a bad email, password or name; `.conflict(.emailTaken)`.
    public func register(email: String, password: String, name: String) async throws -> User {
        var errors = FieldErrors()
        let address = try errors.collect { try EmailAddress(email) }
        PasswordRules.check(password, field: "password", into: &errors)
        let name = TextRules.trimmed(name, field: "name", length: FieldLimits.name, into: &errors)
        try errors.throwIfAny()
        guard let address, let name else { throw DomainError.validation(errors.all) }
        return try await register(address: address, password: password, name: name)
    }

    /// What is wrong with a registration's fields, without registering anything.
    public static func registrationErrors(email: String, password: String, name: String) -> [FieldError] {
        var errors = FieldErrors()
        _ = try? errors.collect { try EmailAddress(email) }
        PasswordRules.check(password, field: "password", into: &errors)
        _ = TextRules.trimmed(name, field: "name", length: FieldLimits.name, into: &errors)
        return errors.all
    }

    private func register(address: EmailAddress, password: String, name: String) async throws -> User {
        let hash = try await hasher.hash(password)
        let at = now()
        let workspace = Workspace(id: ids.make(), name: Self.personalWorkspaceName, createdAt: at, updatedAt: at)
        let user = User(
            id: ids.make(), email: address, name: name, passwordHash: hash, personalWorkspaceID: workspace.id,
            passwordChangedAt: at, createdAt: at, updatedAt: at)
        try await store.transaction { tx in
            if try await tx.user(email: address) != nil { throw DomainError.conflict(.emailTaken) }
            try await tx.insertUser(user)
            try await tx.insertWorkspace(workspace)
            try await tx.insertWorkspaceMember(
                WorkspaceMember(workspaceID: workspace.id, userID: user.id, role: .owner, joinedAt: at))
        }
        return user
    }

    /// Checks an email and password pair and returns the account.
    ///
    /// An unknown email costs one hash verification too, so that timing does not tell which emails exist.
    /// - Throws: `.invalidCredentials` for an unknown email, a wrong password or a disabled account.
    public func authenticate(email: String, password: String) async throws -> User {
        let address = try? EmailAddress(email)
        var user: User?
        if let address {
            user = try await store.transaction { tx in try await tx.user(email: address) }
        }
        guard let user else {
            _ = await hasher.verify(password, against: hasher.unknownUserHash)
            throw DomainError.invalidCredentials
        }
        let matches = await hasher.verify(password, against: user.passwordHash)
        guard matches, !user.isDisabled else { throw DomainError.invalidCredentials }
        return user
    }

    /// The caller for an authenticated user id.
    /// - Throws: `.unauthenticated` when the user is gone or disabled.
    public func caller(for id: UserID) async throws -> Caller {
        Caller(try await activeUser(id))
    }

    /// The user behind `id` when the account is usable.
    /// - Throws: `.unauthenticated` when the user is gone or disabled.
    public func activeUser(_ id: UserID) async throws -> User {
        let user = try await store.transaction { tx in try await tx.user(id) }
        guard let user, !user.isDisabled else { throw DomainError.unauthenticated }
        return user
    }

    /// The caller's own account.
    public func me(_ caller: Caller) async throws -> User {
        let user = try await store.transaction { tx in try await tx.user(caller.id) }
        guard let user else { throw DomainError.notFound(.user) }
        return user
    }

    /// Changes the caller's own name and email.
    /// - Throws: `.validation`; `.conflict(.emailTaken)` when the new email is in use.
    public func updateMe(_ caller: Caller, name: String?, email: String?) async throws -> User {
        var errors = FieldErrors()
        let name = name.flatMap { TextRules.trimmed($0, field: "name", length: FieldLimits.name, into: &errors) }
        let address = try email.flatMap { text in try errors.collect { try EmailAddress(text) } }
        try errors.throwIfAny()
        let at = now()
        return try await store.transaction { tx in
            guard var user = try await tx.user(caller.id) else { throw DomainError.notFound(.user) }
            let before = user
            if let name { user.name = name }
            if let address, address != user.email {
                if try await tx.user(email: address) != nil { throw DomainError.conflict(.emailTaken) }
                user.email = address
            }
            guard user != before else { return user }
            user.updatedAt = at
            try await tx.updateUser(user)
            return user
        }
    }

    /// Changes the caller's password; tokens issued before the change stop working.
    /// - Throws: `.validation` for a bad new password; `.wrongPassword` when `current` does not match.
    public func changePassword(_ caller: Caller, current: String, new: String) async throws {
        var errors = FieldErrors()
        PasswordRules.check(new, field: "new_password", into: &errors)
        try errors.throwIfAny()
        let stored = try await me(caller)
        guard await hasher.verify(current, against: stored.passwordHash) else { throw DomainError.wrongPassword }
        let hash = try await hasher.hash(new)
        let at = now()
        try await store.transaction { tx in
            guard var user = try await tx.user(caller.id) else { throw DomainError.notFound(.user) }
            user.passwordHash = hash
            user.passwordChangedAt = at
            user.updatedAt = at
            try await tx.updateUser(user)
        }
    }
}
