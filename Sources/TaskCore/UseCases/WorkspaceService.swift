import Foundation

/// Workspaces and their members.
public struct WorkspaceService: Sendable {
    let store: any DataStore
    let now: Now
    let ids: any IDGenerator

    /// Creates the service.
    public init(store: any DataStore, now: @escaping Now, ids: any IDGenerator) {
        self.store = store
        self.now = now
        self.ids = ids
    }

    /// Creates a workspace owned by the caller.
    /// - Throws: `.forbidden` for a token narrowed to some workspaces (the new one would be out of its reach).
    public func create(_ caller: Caller, name: String) async throws -> WorkspaceMembership {
        guard caller.grant?.workspaceIDs == nil else { throw DomainError.forbidden }
        let name = try TextRules.trimmed(name, field: "name", length: FieldLimits.name)
        let at = now()
        let workspace = Workspace(id: ids.make(), name: name, createdAt: at, updatedAt: at)
        try await store.transaction { tx in
            try await tx.insertWorkspace(
                workspace,
                owner: WorkspaceMember(workspaceID: workspace.id, userID: caller.id, role: .owner, joinedAt: at),
                recording: [
                    EventRecords(ids: ids, actorID: caller.id, at: at).workspaceMember(
                        .workspaceMemberAdded, in: workspace.id, userID: caller.id, from: nil, to: .owner)
                ])
        }
        return WorkspaceMembership(workspace: workspace, role: .owner)
    }

    /// The workspaces the caller belongs to, each with the caller's role, oldest first; with a personal access
    /// token that names workspaces, only those. The claim's user (and token) is read with the page (one statement
    /// on PostgreSQL) and checked before the page is given.
    public func workspaces(_ claim: some CallerClaim, page: PageRequest) async throws -> Page<WorkspaceMembership> {
        let after = try PageCursor.position(from: page.cursor, ordering: Self.ordering)
        let rows = try await store.transaction { tx in
            if claim.checkedCaller == nil {
                let found = try await tx.workspaces(claimedBy: claim.identity, after: after, limit: page.limit + 1)
                // The page is narrowed by the token row read with it, the row the caller's grant comes from.
                _ = try found.caller(for: claim)
                return found.facts ?? []
            }
            let caller = try await tx.caller(for: claim)
            return try await tx.workspaces(
                of: caller.id, within: caller.grant?.workspaceIDs, after: after, limit: page.limit + 1)
        }
        return Page.from(rows: rows, limit: page.limit, ordering: Self.ordering) {
            PagePosition(value: .date($0.workspace.createdAt), id: $0.workspace.id.uuid)
        }
    }

    /// One workspace with the caller's role. - Throws: `.notFound(.workspace)` unless the caller belongs.
    public func workspace(_ claim: some CallerClaim, id: WorkspaceID) async throws -> WorkspaceMembership {
        try await store.transaction { tx in
            let (workspace, role, _) = try await tx.claimedWorkspace(id, by: claim)
            return WorkspaceMembership(workspace: workspace, role: role)
        }
    }

    /// Renames a workspace (`admin`+). A `nil` name changes nothing, but is still a change request: it needs the
    /// same role, so a member or guest is refused whatever the body holds.
    /// - Throws: `.notFound(.workspace)`, `.forbidden`, `.validation`.
    public func rename(_ claim: some CallerClaim, id: WorkspaceID, name: String?) async throws -> WorkspaceMembership {
        try await rename(claim, id: id, precondition: nil) { name }
    }

    /// `rename`, checking the client's `If-Match` (the workspace's tag names the caller's role: `7-owner`) after
    /// visibility (404) and permission (403) and before reading the new name (`input`, 422).
    public func rename(
        _ claim: some CallerClaim, id: WorkspaceID, precondition: VersionPrecondition?,
        _ input: @escaping @Sendable () throws -> String?
    ) async throws -> WorkspaceMembership {
        let at = now()
        return try await store.transaction { tx in
            var (workspace, role, _) = try await tx.claimedWorkspace(id, by: claim, locking: .update)
            guard AccessPolicy.canRenameWorkspace(role) else { throw DomainError.forbidden }
            try VersionPrecondition.check(
                precondition, currentTag: WorkspaceMembership(workspace: workspace, role: role).versionTag)
            let name = try input().map { try TextRules.trimmed($0, field: "name", length: FieldLimits.name) }
            if let name, workspace.name != name {
                workspace.name = name
                workspace.updatedAt = at
                workspace.version += 1
                try await tx.updateWorkspace(workspace)
            }
            return WorkspaceMembership(workspace: workspace, role: role)
        }
    }

    /// Deletes a workspace with its projects, tasks and comments (`owner`).
    public func delete(_ claim: some CallerClaim, id: WorkspaceID, precondition: VersionPrecondition? = nil)
        async throws
    {
        try await store.transaction { tx in
            let (workspace, role, _) = try await tx.claimedWorkspace(id, by: claim)
            guard AccessPolicy.canDeleteWorkspace(role) else { throw DomainError.forbidden }
            try VersionPrecondition.check(
                precondition, currentTag: WorkspaceMembership(workspace: workspace, role: role).versionTag)
            try await tx.deleteWorkspace(id)
        }
    }

    /// The workspace's members, oldest membership first (any member but a `guest`).
    public func members(_ claim: some CallerClaim, of id: WorkspaceID, page: PageRequest) async throws
        -> Page<MemberProfile>
    {
        let ordering = Self.memberOrdering
        let after = try PageCursor.position(from: page.cursor, ordering: ordering)
        let rows = try await store.transaction { tx in
            let (_, role, _) = try await tx.claimedWorkspace(id, by: claim)
            guard AccessPolicy.canListWorkspaceMembers(role) else { throw DomainError.forbidden }
            return try await tx.workspaceMembers(of: id, after: after, limit: page.limit + 1)
        }
        return Page.from(rows: rows, limit: page.limit, ordering: ordering, position: \.position)
    }

    /// One member (any member but a `guest`). - Throws: `.notFound(.member)` when the user does not belong.
    public func member(_ claim: some CallerClaim, of id: WorkspaceID, userID: UserID) async throws -> MemberProfile {
        try await store.transaction { tx in
            let (_, role, _) = try await tx.claimedWorkspace(id, by: claim)
            guard AccessPolicy.canListWorkspaceMembers(role) else { throw DomainError.forbidden }
            return try await tx.memberProfile(workspaceID: id, userID: userID)
        }
    }

    /// Adds a registered user by email with `role` (`member` by default; `admin`+, only an `owner` adds an `owner`).
    /// - Throws: `.notFound(.user)` for an unknown email; `.conflict(.alreadyMember)`.
    public func addMember(
        _ claim: some CallerClaim, to id: WorkspaceID, email: String, role: WorkspaceRole?
    ) async throws -> MemberProfile {
        let address = try EmailAddress(email)
        let newRole = role ?? .member
        let at = now()
        return try await store.transaction { tx in
            let (_, callerRole, caller) = try await tx.claimedWorkspace(id, by: claim)
            guard AccessPolicy.canAddWorkspaceMember(as: callerRole, granting: newRole) else {
                throw DomainError.forbidden
            }
            guard let user = try await tx.user(email: address) else { throw DomainError.notFound(.user) }
            if try await tx.workspaceMember(id, user.id) != nil { throw DomainError.conflict(.alreadyMember) }
            try await tx.insertWorkspaceMember(
                WorkspaceMember(workspaceID: id, userID: user.id, role: newRole, joinedAt: at))
            try await tx.appendEvents([
                EventRecords(ids: ids, actorID: caller.id, at: at).workspaceMember(
                    .workspaceMemberAdded, in: id, userID: user.id, from: nil, to: newRole)
            ])
            return MemberProfile(
                userID: user.id, email: user.email, name: user.name, role: newRole.rawValue, joinedAt: at)
        }
    }

    /// Changes a member's role (`admin`+; only an `owner` grants `owner` or changes an `owner`).
    /// - Throws: `.notFound(.member)`; `.conflict(.lastOwner)` when the workspace would have no owner left.
    public func changeRole(
        _ claim: some CallerClaim, in id: WorkspaceID, userID: UserID, to newRole: WorkspaceRole
    ) async throws -> MemberProfile {
        try await changeRole(claim, in: id, userID: userID, precondition: nil) { newRole }
    }

    /// `changeRole`, checking the client's `If-Match` on the membership after visibility (404) and the right to
    /// manage members (403) and before reading the new role (`input`, 422); which roles may be given is decided
    /// once the role is read.
    public func changeRole(
        _ claim: some CallerClaim, in id: WorkspaceID, userID: UserID, precondition: VersionPrecondition?,
        _ input: @escaping @Sendable () throws -> WorkspaceRole
    ) async throws -> MemberProfile {
        let at = now()
        return try await store.transaction { tx in
            let owners = try await tx.lockOwners(of: id)
            let (_, callerRole, caller) = try await tx.claimedWorkspace(id, by: claim)
            guard AccessPolicy.canManageWorkspaceMembers(callerRole) else { throw DomainError.forbidden }
            guard var member = try await tx.lockWorkspaceMember(id, userID) else { throw DomainError.notFound(.member) }
            try VersionPrecondition.check(precondition, currentTag: "\(member.version)")
            let newRole = try input()
            guard AccessPolicy.canChangeWorkspaceRole(as: callerRole, from: member.role, to: newRole) else {
                throw DomainError.forbidden
            }
            if member.role == .owner && newRole != .owner && owners == [userID] {
                throw DomainError.conflict(.lastOwner)
            }
            if member.role != newRole {
                let before = member.role
                member.role = newRole
                member.version += 1
                try await tx.updateWorkspaceMember(member)
                try await tx.appendEvents([
                    EventRecords(ids: ids, actorID: caller.id, at: at).workspaceMember(
                        .workspaceMemberUpdated, in: id, userID: userID, from: before, to: newRole)
                ])
            }
            return try await tx.memberProfile(workspaceID: id, userID: userID)
        }
    }

    /// Removes a member (`admin`+, or the member itself leaving; only an `owner` removes an `owner`), with their
    /// project roles in the workspace; tasks assigned to them there become unassigned.
    /// - Throws: `.notFound(.member)`; `.conflict(.lastOwner)` when the workspace would have no owner left.
    public func removeMember(
        _ claim: some CallerClaim, from id: WorkspaceID, userID: UserID, precondition: VersionPrecondition? = nil
    ) async throws {
        let at = now()
        try await store.transaction { tx in
            let owners = try await tx.lockOwners(of: id)
            let (_, callerRole, caller) = try await tx.claimedWorkspace(id, by: claim)
            let isSelf = userID == caller.id
            guard isSelf || AccessPolicy.canManageWorkspaceMembers(callerRole) else { throw DomainError.forbidden }
            guard let member = try await tx.lockWorkspaceMember(id, userID) else { throw DomainError.notFound(.member) }
            guard AccessPolicy.canRemoveWorkspaceMember(as: callerRole, target: member.role, isSelf: isSelf) else {
                throw DomainError.forbidden
            }
            try VersionPrecondition.check(precondition, currentTag: "\(member.version)")
            if member.role == .owner && owners == [userID] { throw DomainError.conflict(.lastOwner) }
            try await MembershipCleanup(tx: tx, ids: ids, now: at)
                .removeEverywhere(member, actorID: caller.id)
        }
    }

    private static let ordering = "workspaces"
    private static let memberOrdering = "workspace_members"
}

extension StoreTransaction {
    /// The member's profile. - Throws: `.notFound(.member)` when the user does not belong to the workspace.
    func memberProfile(workspaceID: WorkspaceID, userID: UserID) async throws -> MemberProfile {
        guard let member = try await workspaceMember(workspaceID, userID), let user = try await user(userID) else {
            throw DomainError.notFound(.member)
        }
        return MemberProfile(
            userID: user.id, email: user.email, name: user.name, role: member.role.rawValue, joinedAt: member.joinedAt,
            version: member.version)
    }
}
