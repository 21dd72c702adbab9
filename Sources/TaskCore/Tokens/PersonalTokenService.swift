import Foundation

/// Personal access tokens: a user makes, lists and revokes their own; a system administrator lists and revokes
/// anyone's; and a token a client presents becomes a caller with the token's grant.
///
/// Only a caller who signed in (with an access token) manages tokens: a token never makes or revokes tokens.
public struct PersonalTokenService: Sendable {
    /// At most this many unexpired tokens per user.
    public static let maximumUnexpired = 50
    /// The longest lifetime a token may be given: 366 days.
    public static let longestLifetime: TimeInterval = 366 * 24 * 3600
    /// At most this many workspaces in `workspace_ids`.
    public static let maximumWorkspaces = 100
    /// `last_used_at` is written at most once in this many seconds per token.
    public static let lastUsedResolution: TimeInterval = 60
    /// Expired tokens stay listed (as expired) this long, then are deleted.
    public static let expiredRetention: TimeInterval = 30 * 24 * 3600

    let store: any DataStore
    let minter: any PersonalTokenMinter
    let now: Now
    let ids: any IDGenerator

    /// Creates the service.
    public init(
        store: any DataStore, minter: any PersonalTokenMinter, now: @escaping Now = systemNow,
        ids: any IDGenerator = RandomIDGenerator()
    ) {
        self.store = store
        self.minter = minter
        self.now = now
        self.ids = ids
    }

    /// Makes a token for the caller; the answer holds the token, which is never shown again.
    /// - Throws: `.unauthenticated` first; `.forbidden` for a caller authenticated with a token; `.validation` naming `name`, `scopes`,
    ///   `expires_at` or `workspace_ids` (a workspace the caller does not belong to reads as missing);
    ///   `.conflict(.tooManyTokens)` when the caller has 50 unexpired tokens.
    public func create(_ claim: some CallerClaim, _ input: NewPersonalToken) async throws -> IssuedPersonalToken {
        let at = now()
        return try await store.transaction { tx in
            // The user's row, read and locked with the check of the credential, is the lock that counts their
            // tokens one creation at a time.
            let caller = try await tx.claimedUserLocked(by: claim).1
            guard caller.hasSession else { throw DomainError.forbidden }
            var errors = FieldErrors()
            let name = TextRules.trimmed(input.name, field: "name", length: FieldLimits.name, into: &errors)
            let scopes = Self.scopes(input.scopes, into: &errors)
            let expiresAt = Self.expiry(input.expiresAt, at: at, into: &errors)
            let workspaceIDs = input.workspaceIDs.flatMap { Self.workspaceIDs($0, into: &errors) }
            try errors.throwIfAny()
            guard let name, let scopes, let expiresAt else { throw DomainError.validation(errors.all) }
            for (index, id) in (workspaceIDs ?? []).enumerated() {
                do {
                    _ = try await tx.visibleWorkspace(id, for: caller)
                } catch DomainError.notFound {
                    throw DomainError.invalid("workspace_ids[\(index)]", "is not a workspace you belong to")
                }
            }
            guard try await tx.unexpiredPersonalTokenCount(of: caller.id, at: at) < Self.maximumUnexpired else {
                throw DomainError.conflict(.tooManyTokens)
            }
            let (token, digest) = minter.mint()
            let record = PersonalAccessToken(
                id: ids.make(), userID: caller.id, name: name, prefix: PersonalTokenText.displayPrefix(of: token),
                digest: digest, scopes: scopes, workspaceIDs: workspaceIDs.map { Set($0) }, createdAt: at,
                expiresAt: expiresAt)
            try await tx.insertPersonalToken(record)
            return IssuedPersonalToken(record: record, token: token)
        }
    }

    /// The caller's tokens, oldest first (expired ones included, until they are deleted); with an access token,
    /// its user is read with the page (one statement on PostgreSQL) and checked before the page is given.
    /// - Throws: `.forbidden` for a personal access token's caller.
    public func tokens(_ claim: some CallerClaim, page: PageRequest) async throws -> Page<PersonalAccessToken> {
        let after = try PageCursor.position(from: page.cursor, ordering: Self.ordering)
        let rows = try await store.transaction { tx -> [PersonalAccessToken] in
            guard claim.checkedCaller == nil else {
                let caller = try await tx.caller(for: claim)
                guard caller.hasSession else { throw DomainError.forbidden }
                return try await tx.personalTokens(of: caller.id, after: after, limit: page.limit + 1)
            }
            let found = try await tx.personalTokens(claimedBy: claim.identity, after: after, limit: page.limit + 1)
            guard try found.caller(for: claim).hasSession else { throw DomainError.forbidden }
            return found.facts ?? []
        }
        return Self.page(of: rows, page)
    }

    /// One of the caller's tokens; with an access token, its user is read with the token (one statement on
    /// PostgreSQL) and checked first. - Throws: `.forbidden` for a token caller; `.notFound(.token)`.
    public func token(_ claim: some CallerClaim, id: PersonalTokenID) async throws -> PersonalAccessToken {
        let token = try await store.transaction { tx -> PersonalAccessToken? in
            guard claim.checkedCaller == nil else {
                let caller = try await tx.caller(for: claim)
                guard caller.hasSession else { throw DomainError.forbidden }
                return try await tx.personalToken(id, of: caller.id)
            }
            let found = try await tx.personalToken(id, claimedBy: claim.identity)
            guard try found.caller(for: claim).hasSession else { throw DomainError.forbidden }
            return found.facts
        }
        guard let token else { throw DomainError.notFound(.token) }
        return token
    }

    /// Revokes one of the caller's tokens at once. - Throws: `.forbidden`, `.notFound(.token)`, `.versionMismatch`.
    /// With an access token, its user is read with the locked token (one statement on PostgreSQL) and checked
    /// first.
    public func revoke(_ claim: some CallerClaim, id: PersonalTokenID, precondition: VersionPrecondition? = nil)
        async throws
    {
        if let caller = claim.checkedCaller {
            guard caller.hasSession else { throw DomainError.forbidden }
            return try await revoke(id, of: caller.id, precondition: precondition)
        }
        try await revoke(id, precondition: precondition) { tx in
            let found = try await tx.lockPersonalToken(id, claimedBy: claim.identity)
            guard try found.caller(for: claim).hasSession else { throw DomainError.forbidden }
            return found.facts
        }
    }

    /// A user's tokens, for a system administrator: the claim's user, whether the user exists and the page in one
    /// read (one statement on PostgreSQL).
    /// - Throws: `.unauthenticated` first; `.forbidden`; `.notFound(.user)`; `.validation` for a cursor of another
    ///   list, after those.
    public func tokens(of userID: UserID, by claim: some CallerClaim, page: PageRequest) async throws -> Page<
        PersonalAccessToken
    > {
        if let caller = claim.checkedCaller, !AccessPolicy.canAdministerUsers(caller) {
            throw DomainError.forbidden
        }
        let position = Result { try PageCursor.position(from: page.cursor, ordering: Self.ordering) }
        let found = try await store.transaction { tx in
            try await tx.personalTokens(
                of: userID, claimedBy: claim.identity, after: (try? position.get()) ?? nil, limit: page.limit + 1)
        }
        guard AccessPolicy.canAdministerUsers(try found.caller(for: claim)) else { throw DomainError.forbidden }
        guard let rows = found.facts else { throw DomainError.notFound(.user) }
        _ = try position.get()
        return Self.page(of: rows, page)
    }

    /// Revokes a user's token, for a system administrator: the claim's user is read with the locked token (one
    /// statement on PostgreSQL). - Throws: `.unauthenticated` first; `.forbidden`, `.notFound(.token)`,
    /// `.versionMismatch`.
    public func revoke(
        _ id: PersonalTokenID, of userID: UserID, by claim: some CallerClaim, precondition: VersionPrecondition? = nil
    ) async throws {
        if let caller = claim.checkedCaller, !AccessPolicy.canAdministerUsers(caller) {
            throw DomainError.forbidden
        }
        try await revoke(id, precondition: precondition) { tx in
            let found = try await tx.lockPersonalToken(id, of: userID, claimedBy: claim.identity)
            guard AccessPolicy.canAdministerUsers(try found.caller(for: claim)) else { throw DomainError.forbidden }
            return found.facts
        }
    }

    /// The caller a presented token authenticates, in one store round trip.
    /// - Throws: `.unauthenticated` for a malformed (wrong checksum), unknown, expired or revoked token, one made
    ///   before its user's last password change (or disabling), and one whose user is disabled or deleted.
    public func caller(presenting text: String) async throws -> TokenCaller {
        let lookup = try lookup(presenting: text)
        let found = try await store.transaction { tx in try await tx.personalTokenCredential(lookup) }
        return try lookup.caller(token: found?.0, user: found?.1)
    }

    /// A presented token as a claim for a route whose rule is `rule`: nothing is read yet; the use case reads the
    /// token and its user with its first record and checks both then (`PersonalTokenClaim`).
    /// - Throws: `.unauthenticated` for a token of the wrong shape or checksum.
    public func claim(presenting text: String, for rule: TokenRouteRule) throws -> PersonalTokenClaim {
        PersonalTokenClaim(lookup: try lookup(presenting: text), rule: rule)
    }

    /// How the store finds `text` now. - Throws: `.unauthenticated` for a token of the wrong shape or checksum.
    private func lookup(presenting text: String) throws -> PersonalTokenLookup {
        guard PersonalTokenText.isWellFormed(text) else { throw DomainError.unauthenticated }
        let at = now()
        return PersonalTokenLookup(
            digest: minter.digest(of: text), at: at, touchingBefore: at.addingTimeInterval(-Self.lastUsedResolution))
    }

    /// Deletes tokens that expired more than `expiredRetention` ago.
    public func removeExpiredTokens() async throws {
        let before = now().addingTimeInterval(-Self.expiredRetention)
        try await store.transaction { tx in try await tx.deletePersonalTokens(expiredBefore: before) }
    }

    /// The page `rows` (read one past `page`'s limit) make.
    private static func page(of rows: [PersonalAccessToken], _ page: PageRequest) -> Page<PersonalAccessToken> {
        Page.from(rows: rows, limit: page.limit, ordering: ordering) {
            PagePosition(value: .date($0.createdAt), id: $0.id.uuid)
        }
    }

    private func revoke(_ id: PersonalTokenID, of userID: UserID, precondition: VersionPrecondition?) async throws {
        try await revoke(id, precondition: precondition) { tx in try await tx.lockPersonalToken(id, of: userID) }
    }

    /// Deletes the token `locking` locks in the transaction (`nil`: no such token of the user), once `precondition`
    /// holds for it.
    private func revoke(
        _ id: PersonalTokenID, precondition: VersionPrecondition?,
        locking: @escaping @Sendable (any StoreTransaction) async throws -> PersonalAccessToken?
    ) async throws {
        try await store.transaction { tx in
            guard let token = try await locking(tx) else { throw DomainError.notFound(.token) }
            try VersionPrecondition.check(precondition, currentTag: "\(token.version)")
            try await tx.deletePersonalToken(id)
        }
    }

    private static let ordering = "personal_tokens"

    private static func scopes(_ names: [String], into errors: inout FieldErrors) -> Set<TokenScope>? {
        guard !names.isEmpty else {
            errors.add("scopes", "must name at least one scope")
            return nil
        }
        var scopes: Set<TokenScope> = []
        let known = TokenScope.allCases.map(\.rawValue).joined(separator: ", ")
        for (index, name) in names.enumerated() {
            guard let scope = TokenScope(rawValue: name) else {
                errors.add("scopes[\(index)]", "must be one of \(known)")
                continue
            }
            scopes.insert(scope)
        }
        return scopes
    }

    private static func expiry(_ expiresAt: Date?, at: Date, into errors: inout FieldErrors) -> Date? {
        guard let expiresAt else {
            errors.add("expires_at", "is required")
            return nil
        }
        guard expiresAt > at else {
            errors.add("expires_at", "must be in the future")
            return nil
        }
        guard expiresAt.timeIntervalSince(at) <= longestLifetime else {
            errors.add("expires_at", "must be at most 366 days away")
            return nil
        }
        return expiresAt.truncatedToMilliseconds
    }

    private static func workspaceIDs(_ texts: [String], into errors: inout FieldErrors) -> [WorkspaceID]? {
        guard !texts.isEmpty else {
            errors.add("workspace_ids", "must name at least one workspace, or be left out")
            return nil
        }
        guard texts.count <= maximumWorkspaces else {
            errors.add("workspace_ids", "must name at most \(maximumWorkspaces) workspaces")
            return nil
        }
        var ids: [WorkspaceID] = []
        for (index, text) in texts.enumerated() {
            guard let id = WorkspaceID(text) else {
                errors.add("workspace_ids[\(index)]", "must be a workspace id")
                continue
            }
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }
}
