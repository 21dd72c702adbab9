import Foundation

/// Registration, the caller's own account, password changes and user administration.
public struct AccountService: Sendable {
    let store: any DataStore
    let hasher: any PasswordHasher
    let now: Now
    let ids: any IDGenerator
    /// Wrong current passwords a user may give to `changePassword` within a window.
    public var passwordChangeThrottle = LoginThrottle.perPasswordChange
    /// Registrations per client address within a window; `nil` for no limit.
    public var registrationThrottle: LoginThrottle? = LoginThrottle.registrationsPerAddress
    /// Addresses whose accounts are system administrators from registration on (`TASKD_ADMIN_EMAILS`).
    public var administratorEmails: Set<EmailAddress> = []

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
    ///
    /// Each registration costs a password hash, so those from one client address are limited
    /// (`registrationThrottle`); every registration that passes validation counts, whatever its outcome.
    /// - Parameter clientAddress: where the request came from; `nil` (an embedding program) is not limited.
    /// - Throws: `.validation` for a bad email, password or name; `.conflict(.emailTaken)`; `.tooManyAttempts`.
    public func register(email: String, password: String, name: String, clientAddress: String? = nil) async throws
        -> User
    {
        var errors = FieldErrors()
        let address = try errors.collect { try EmailAddress(email) }
        PasswordRules.check(password, field: "password", into: &errors)
        let name = TextRules.trimmed(name, field: "name", length: FieldLimits.name, into: &errors)
        try errors.throwIfAny()
        guard let address, let name else { throw DomainError.validation(errors.all) }
        if let clientAddress, let registrationThrottle {
            let key = AttemptLimiter.Key(name: "register:" + clientAddress.prefix(64), throttle: registrationThrottle)
            try await AttemptLimiter(store: store).reserve([key], at: now())
        }
        return try await register(address: address, password: password, name: name)
    }

    /// What is wrong with a registration's fields, without registering anything; a field left `nil` is not checked.
    public static func registrationErrors(email: String?, password: String?, name: String?) -> [FieldError] {
        var errors = FieldErrors()
        if let email { errors.collect(EmailAddress.errors(of: email)) }
        if let password { PasswordRules.check(password, field: "password", into: &errors) }
        if let name { _ = TextRules.trimmed(name, field: "name", length: FieldLimits.name, into: &errors) }
        return errors.all
    }

    /// What is wrong with a new name or email for an account (either may be left out), found without a store.
    public static func profileErrors(name: String?, email: String?) -> [FieldError] {
        var errors = FieldErrors()
        if let name { _ = TextRules.trimmed(name, field: "name", length: FieldLimits.name, into: &errors) }
        if let email { errors.collect(EmailAddress.errors(of: email)) }
        return errors.all
    }

    private func register(address: EmailAddress, password: String, name: String) async throws -> User {
        let hash = try await hasher.hash(password)
        let at = now()
        let workspace = Workspace(id: ids.make(), name: Self.personalWorkspaceName, createdAt: at, updatedAt: at)
        let user = User(
            id: ids.make(), email: address, name: name, passwordHash: hash,
            isAdmin: administratorEmails.contains(address),
            personalWorkspaceID: workspace.id, passwordChangedAt: at, createdAt: at, updatedAt: at)
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

    /// The caller's own account: its row is read once, with the credential's check.
    /// - Throws: `.unauthenticated` when the user may not use the credential.
    public func me(_ claim: some CallerClaim) async throws -> User {
        try await store.transaction { tx in try await tx.claimedUser(by: claim).0 }
    }

    /// Changes the caller's own name and email.
    /// - Throws: `.validation`; `.conflict(.emailTaken)` when the new email is in use.
    public func updateMe(_ claim: some CallerClaim, name: String?, email: String?) async throws -> User {
        try await updateMe(claim, precondition: nil) { (name, email) }
    }

    /// `updateMe`, checking the client's `If-Match` before reading the change (`input`, 422). The claim's user's
    /// row is locked and checked in one read (one statement on PostgreSQL for an access token).
    /// - Throws: `.unauthenticated` first; `.forbidden` for a caller without a session (a personal access token).
    public func updateMe(
        _ claim: some CallerClaim, precondition: VersionPrecondition?,
        _ input: @escaping @Sendable () throws -> (name: String?, email: String?)
    ) async throws -> User {
        let at = now()
        return try await store.transaction { tx in
            var (user, caller) = try await tx.claimedUserLocked(by: claim)
            guard caller.hasSession else { throw DomainError.forbidden }
            try VersionPrecondition.check(precondition, currentTag: "\(user.version)")
            let change = try input()
            var errors = FieldErrors()
            let name = change.name.flatMap {
                TextRules.trimmed($0, field: "name", length: FieldLimits.name, into: &errors)
            }
            let address = try change.email.flatMap { text in try errors.collect { try EmailAddress(text) } }
            try errors.throwIfAny()
            let before = user
            if let name { user.name = name }
            if let address, address != user.email {
                if try await tx.user(email: address) != nil { throw DomainError.conflict(.emailTaken) }
                user.email = address
            }
            guard user != before else { return user }
            user.updatedAt = at
            user.version += 1
            try await tx.updateUser(user)
            return user
        }
    }

    /// Changes the caller's password; tokens issued before the change, access and refresh, stop working.
    ///
    /// Whoever holds an access token could otherwise guess the current password without limit and take the
    /// account, so attempts are limited per user as logins are (`passwordChangeThrottle`), counted before the
    /// password is checked.
    /// - Throws: `.unauthenticated` first, then `.forbidden` for a caller without a session; `.validation` for a bad
    ///   new password; `.wrongPassword` when `current` does not match; `.tooManyAttempts`.
    public func changePassword(_ claim: some CallerClaim, current: String, new: String) async throws {
        // The claim's user is read once: the check of the credential and the hash the current password is
        // checked against come from the same row.
        let (stored, caller) = try await store.transaction { tx in try await tx.claimedUser(by: claim) }
        guard caller.hasSession else { throw DomainError.forbidden }
        var errors = FieldErrors()
        PasswordRules.check(new, field: "new_password", into: &errors)
        try errors.throwIfAny()
        let limiter = AttemptLimiter(store: store)
        let key = AttemptLimiter.Key(name: "password:\(caller.id)", throttle: passwordChangeThrottle)
        let attemptedAt = now()
        try await limiter.reserve([key], at: attemptedAt)
        guard await hasher.verify(current, against: stored.passwordHash) else { throw DomainError.wrongPassword }
        try await limiter.forget(key, at: attemptedAt)
        let hash = try await hasher.hash(new)
        let at = now()
        try await store.transaction { tx in
            guard var user = try await tx.lockUser(caller.id) else { throw DomainError.notFound(.user) }
            // The current password was checked against this hash; if another change replaced it meanwhile, the
            // check no longer holds.
            guard user.passwordHash == stored.passwordHash else { throw DomainError.wrongPassword }
            user.passwordHash = hash
            user.passwordChangedAt = at
            user.updatedAt = at
            user.version += 1
            try await tx.updateUser(user)
            try await tx.revokeRefreshTokens(of: user.id, at: at)
        }
    }
}
