import Foundation

/// The system administrator's user routes, and promotion from the command line.
public struct UserAdministration: Sendable {
    let store: any DataStore
    let now: Now
    let ids: any IDGenerator

    /// Creates the service.
    public init(store: any DataStore, now: @escaping Now, ids: any IDGenerator) {
        self.store = store
        self.now = now
        self.ids = ids
    }

    /// Every user, oldest first; the claim's user is read with the page (one statement on PostgreSQL).
    /// - Throws: `.unauthenticated` first; `.forbidden` unless the caller is a system administrator.
    public func users(_ claim: some CallerClaim, page: PageRequest) async throws -> Page<User> {
        try refuseEarly(claim)
        let after = try PageCursor.position(from: page.cursor, ordering: Self.ordering)
        let rows = try await store.transaction { tx in
            if claim.checkedCaller != nil { return try await tx.users(after: after, limit: page.limit + 1) }
            let found = try await tx.users(claimedBy: claim.identity, after: after, limit: page.limit + 1)
            try Self.requireAdmin(try found.caller(for: claim))
            return found.facts ?? []
        }
        return Page.from(rows: rows, limit: page.limit, ordering: Self.ordering) {
            PagePosition(value: .date($0.createdAt), id: $0.id.uuid)
        }
    }

    /// One user, read with the claim's user (one statement on PostgreSQL).
    /// - Throws: `.unauthenticated` first; `.forbidden` unless the caller is a system administrator;
    ///   `.notFound(.user)`.
    public func user(_ claim: some CallerClaim, id: UserID) async throws -> User {
        try refuseEarly(claim)
        return try await store.transaction { tx in try await Self.adminsUser(id, claim, tx, locking: false) }
    }

    /// Changes a user's name, administrator flag or disabled flag.
    /// - Throws: `.forbidden` unless the caller is a system administrator; `.notFound(.user)`; `.validation`.
    public func updateUser(
        _ claim: some CallerClaim, id: UserID, name: String?, isAdmin: Bool?, isDisabled: Bool?
    ) async throws -> User {
        try await updateUser(claim, id: id, precondition: nil) { (name, isAdmin, isDisabled) }
    }

    /// `updateUser`, checking the client's `If-Match` after the credential (401), the administrator check (403)
    /// and the user's existence (404), and before reading the change (`input`, 422). The user's row is locked and
    /// read with the claim's user (one statement on PostgreSQL).
    public func updateUser(
        _ claim: some CallerClaim, id: UserID, precondition: VersionPrecondition?,
        _ input: @escaping @Sendable () throws -> (name: String?, isAdmin: Bool?, isDisabled: Bool?)
    ) async throws -> User {
        try refuseEarly(claim)
        let at = now()
        return try await store.transaction { tx in
            var user = try await Self.adminsUser(id, claim, tx, locking: true)
            try VersionPrecondition.check(precondition, currentTag: "\(user.version)")
            let (name, isAdmin, isDisabled) = try input()
            var errors = FieldErrors()
            let checkedName = name.flatMap {
                TextRules.trimmed($0, field: "name", length: FieldLimits.name, into: &errors)
            }
            try errors.throwIfAny()
            let before = user
            if let checkedName { user.name = checkedName }
            if let isAdmin { user.isAdmin = isAdmin }
            if let isDisabled { user.isDisabled = isDisabled }
            guard user != before else { return user }
            user.updatedAt = at
            user.version += 1
            if user.isDisabled && !before.isDisabled {
                // Every session ends with the disabling, and enabling the account again does not revive them.
                user.sessionsRevokedAt = at
                try await tx.revokeRefreshTokens(of: user.id, at: at)
            }
            try await tx.updateUser(user)
            return user
        }
    }

    /// Deletes a user. Workspaces where they were the only member go with them; their memberships go, and
    /// tasks assigned to them become unassigned (recorded as activity by `caller`).
    /// - Throws: `.forbidden` unless the caller is a system administrator; `.notFound(.user)`;
    ///   `.conflict(.lastOwner)` when they are the last owner of a workspace that has other members.
    public func deleteUser(_ claim: some CallerClaim, id: UserID, precondition: VersionPrecondition? = nil)
        async throws
    {
        try refuseEarly(claim)
        let at = now()
        try await store.transaction { tx in
            let (found, caller) = try await tx.claimedOtherUser(id, by: claim, locking: true)
            try Self.requireAdmin(caller)
            guard let user = found else { throw DomainError.notFound(.user) }
            try VersionPrecondition.check(precondition, currentTag: "\(user.version)")
            for membership in try await tx.workspaceMemberships(of: id) {
                let workspaceID = membership.workspaceID
                let others = try await tx.workspaceMembers(of: workspaceID, after: nil, limit: 2)
                    .filter { $0.userID != id }
                if others.isEmpty {
                    try await tx.deleteWorkspace(workspaceID)
                    continue
                }
                if membership.role == .owner, try await tx.lockOwners(of: workspaceID) == [id] {
                    throw DomainError.conflict(.lastOwner)
                }
                try await MembershipCleanup(tx: tx, ids: ids, now: at)
                    .removeEverywhere(membership, actorID: caller.id)
            }
            try await tx.deleteUser(id)
        }
    }

    /// Makes the user with `email` a system administrator; the only way to make the first one.
    /// - Throws: `.validation` for a malformed email; `.notFound(.user)`.
    public func promote(email: String) async throws -> User {
        let address = try EmailAddress(email)
        let at = now()
        return try await store.transaction { tx in
            guard let found = try await tx.user(email: address), var user = try await tx.lockUser(found.id) else {
                throw DomainError.notFound(.user)
            }
            guard !user.isAdmin else { return user }
            user.isAdmin = true
            user.updatedAt = at
            user.version += 1
            try await tx.updateUser(user)
            return user
        }
    }

    /// Makes every registered user among `emails` a system administrator (`TASKD_ADMIN_EMAILS` at start-up);
    /// addresses nobody has registered yet are left for registration. - Returns: the users promoted now.
    @discardableResult
    public func promote(configured emails: Set<EmailAddress>) async throws -> [User] {
        var promoted: [User] = []
        for email in emails.sorted(by: { $0.value < $1.value }) {
            do {
                let before = try await store.transaction { tx in try await tx.user(email: email) }
                guard let before, !before.isAdmin else { continue }
                promoted.append(try await promote(email: email.value))
            } catch DomainError.notFound {
                continue
            }
        }
        return promoted
    }

    /// Refuses everyone but a system administrator. An adapter calls it before it reads anything else of a user
    /// route (the path's id, the body), so that everyone else gets `403` whatever they sent.
    /// - Throws: `.forbidden`.
    public func authorize(_ caller: Caller) throws {
        try Self.requireAdmin(caller)
    }

    private static func requireAdmin(_ caller: Caller) throws {
        guard AccessPolicy.canAdministerUsers(caller) else { throw DomainError.forbidden }
    }

    /// Refuses a claim that is a checked caller other than a system administrator before anything is read.
    private func refuseEarly(_ claim: some CallerClaim) throws {
        if let caller = claim.checkedCaller { try Self.requireAdmin(caller) }
    }

    /// The user with `id`, read (and locked, with `locking`) with the claim's user, once the caller is checked to
    /// be a system administrator. - Throws: `.unauthenticated`; `.forbidden`; `.notFound(.user)`.
    private static func adminsUser(_ id: UserID, _ claim: some CallerClaim, _ tx: any StoreTransaction, locking: Bool)
        async throws -> User
    {
        let (found, caller) = try await tx.claimedOtherUser(id, by: claim, locking: locking)
        try Self.requireAdmin(caller)
        guard let found else { throw DomainError.notFound(.user) }
        return found
    }

    private static let ordering = "users"
}
