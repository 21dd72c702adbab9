import Foundation

/// The explicit members of a project and their roles.
public struct ProjectMemberService: Sendable {
    let store: any DataStore
    let now: Now
    let ids: any IDGenerator

    /// Creates the service; `ids` makes the ids of the events it records.
    public init(store: any DataStore, now: @escaping Now, ids: any IDGenerator = RandomIDGenerator()) {
        self.store = store
        self.now = now
        self.ids = ids
    }

    /// The project's explicit members (`viewer`+), oldest first.
    public func members(_ claim: some CallerClaim, of id: ProjectID, page: PageRequest) async throws
        -> Page<MemberProfile>
    {
        let after = try PageCursor.position(from: page.cursor, ordering: Self.ordering)
        let rows = try await store.transaction { tx in
            _ = try await tx.claimedProject(id, by: claim)
            return try await tx.projectMembers(of: id, after: after, limit: page.limit + 1)
        }
        return Page.from(rows: rows, limit: page.limit, ordering: Self.ordering, position: \.position)
    }

    /// One explicit member (`viewer`+). - Throws: `.notFound(.projectMember)` when the user has no role there.
    public func member(_ claim: some CallerClaim, of id: ProjectID, userID: UserID) async throws -> MemberProfile {
        try await store.transaction { tx in
            _ = try await tx.claimedProject(id, by: claim)
            return try await tx.projectMemberProfile(id, userID)
        }
    }

    /// Gives a workspace member a role in the project (`editor` by default; project `admin`).
    /// - Throws: `.validation` naming `user_id` when the user is not in the project's workspace;
    ///   `.conflict(.alreadyMember)`.
    public func addMember(
        _ claim: some CallerClaim, to id: ProjectID, userID: UserID, role: ProjectRole?
    ) async throws -> MemberProfile {
        let at = now()
        return try await store.transaction { tx in
            let (project, callerRole, caller) = try await tx.claimedProject(id, by: claim, locking: .share)
            guard AccessPolicy.canManageProject(callerRole) else { throw DomainError.forbidden }
            guard try await tx.workspaceMember(project.workspaceID, userID) != nil else {
                throw DomainError.invalid("user_id", "does not name a member of the project's workspace")
            }
            if try await tx.projectMember(id, userID) != nil { throw DomainError.conflict(.alreadyMember) }
            let member = ProjectMember(
                projectID: id, workspaceID: project.workspaceID, userID: userID, role: role ?? .editor, addedAt: at)
            try await tx.insertProjectMember(member)
            try await tx.appendEvents([
                EventRecords(ids: ids, actorID: caller.id, at: at).projectMember(
                    .projectMemberAdded, in: id, workspaceID: project.workspaceID, userID: userID, from: nil,
                    to: member.role)
            ])
            return try await tx.projectMemberProfile(id, userID)
        }
    }

    /// Changes a member's project role (project `admin`). - Throws: `.notFound(.projectMember)`.
    public func changeRole(
        _ claim: some CallerClaim, in id: ProjectID, userID: UserID, to role: ProjectRole
    ) async throws -> MemberProfile {
        try await changeRole(claim, in: id, userID: userID, precondition: nil) { role }
    }

    /// `changeRole`, checking the client's `If-Match` after visibility (404) and permission (403) and before
    /// reading the new role (`input`, 422).
    public func changeRole(
        _ claim: some CallerClaim, in id: ProjectID, userID: UserID, precondition: VersionPrecondition?,
        _ input: @escaping @Sendable () throws -> ProjectRole
    ) async throws -> MemberProfile {
        let at = now()
        return try await store.transaction { tx in
            let (_, callerRole, caller) = try await tx.claimedProject(id, by: claim)
            guard AccessPolicy.canManageProject(callerRole) else { throw DomainError.forbidden }
            guard var member = try await tx.lockProjectMember(id, userID) else {
                throw DomainError.notFound(.projectMember)
            }
            try VersionPrecondition.check(precondition, currentTag: "\(member.version)")
            let role = try input()
            if member.role != role {
                let before = member.role
                member.role = role
                member.version += 1
                try await tx.updateProjectMember(member)
                try await tx.appendEvents([
                    EventRecords(ids: ids, actorID: caller.id, at: at).projectMember(
                        .projectMemberUpdated, in: id, workspaceID: member.workspaceID, userID: userID, from: before,
                        to: role)
                ])
            }
            return try await tx.projectMemberProfile(id, userID)
        }
    }

    /// Removes a member's project role (project `admin`). - Throws: `.notFound(.projectMember)`.
    public func removeMember(
        _ claim: some CallerClaim, from id: ProjectID, userID: UserID, precondition: VersionPrecondition? = nil
    ) async throws {
        let at = now()
        try await store.transaction { tx in
            let (_, callerRole, caller) = try await tx.claimedProject(id, by: claim)
            guard AccessPolicy.canManageProject(callerRole) else { throw DomainError.forbidden }
            guard let member = try await tx.lockProjectMember(id, userID) else {
                throw DomainError.notFound(.projectMember)
            }
            try VersionPrecondition.check(precondition, currentTag: "\(member.version)")
            try await tx.deleteProjectMember(id, userID)
            try await tx.appendEvents([
                EventRecords(ids: ids, actorID: caller.id, at: at).projectMember(
                    .projectMemberRemoved, in: id, workspaceID: member.workspaceID, userID: userID, from: member.role,
                    to: nil)
            ])
        }
    }

    private static let ordering = "project_members"
}

extension StoreTransaction {
    /// The explicit member's profile. - Throws: `.notFound(.projectMember)`.
    func projectMemberProfile(_ projectID: ProjectID, _ userID: UserID) async throws -> MemberProfile {
        guard let member = try await projectMember(projectID, userID), let user = try await user(userID) else {
            throw DomainError.notFound(.projectMember)
        }
        return MemberProfile(
            userID: user.id, email: user.email, name: user.name, role: member.role.rawValue, joinedAt: member.addedAt,
            version: member.version)
    }
}
