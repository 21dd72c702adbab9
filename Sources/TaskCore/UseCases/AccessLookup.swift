/// The role look-ups use cases make before asking `AccessPolicy`, and the "visible or not found" rule.
extension StoreTransaction {
    /// The caller's effective role in a workspace (`owner` for a system administrator), or `nil`; `nil` too for a
    /// workspace out of the caller's token's reach.
    func workspaceRole(of caller: Caller, in workspaceID: WorkspaceID) async throws -> WorkspaceRole? {
        guard caller.reaches(workspaceID) else { return nil }
        return caller.workspaceRole(
            in: workspaceID, membership: try await workspaceMember(workspaceID, caller.id)?.role)
    }

    /// The workspace and the caller's role in it. - Throws: `.notFound(.workspace)` unless the caller belongs.
    func visibleWorkspace(_ id: WorkspaceID, for caller: Caller) async throws -> (Workspace, WorkspaceRole) {
        guard caller.reaches(id), let visible = caller.visibleWorkspace(try await workspaceAccess(id, for: caller.id))
        else { throw DomainError.notFound(.workspace) }
        return visible
    }

    /// The workspace's facts for the claim's user (`nil` when there is no such workspace) and the caller the claim
    /// stands for, the user's row read with the facts; the workspace row locked as `lock` says (none by default).
    /// - Throws: `.unauthenticated` (or a personal access token's missing scope) before anything about the workspace.
    func claimedWorkspaceAccess(_ id: WorkspaceID, by claim: some CallerClaim, locking lock: RowLock? = nil)
        async throws -> (WorkspaceAccessFacts?, Caller)
    {
        if let caller = claim.checkedCaller {
            let facts =
                if let lock { try await workspaceAccess(id, for: caller.id, locking: lock) } else {
                    try await workspaceAccess(id, for: caller.id)
                }
            return (facts, caller)
        }
        let found =
            if let lock { try await workspaceAccess(id, claimedBy: claim.identity, locking: lock) } else {
                try await workspaceAccess(id, claimedBy: claim.identity)
            }
        return (found.facts, try found.caller(for: claim))
    }

    /// `visibleWorkspace(_:for:)` for a claim: the claimed user's row is read with the workspace's facts.
    /// - Throws: `.unauthenticated` (or a personal access token's missing scope) before anything about the workspace;
    ///   `.notFound(.workspace)` unless the caller belongs.
    func claimedWorkspace(_ id: WorkspaceID, by claim: some CallerClaim, locking lock: RowLock? = nil) async throws
        -> (Workspace, WorkspaceRole, Caller)
    {
        let (facts, caller) = try await claimedWorkspaceAccess(id, by: claim, locking: lock)
        guard let (workspace, role) = caller.visibleWorkspace(facts) else { throw DomainError.notFound(.workspace) }
        return (workspace, role, caller)
    }

    /// The project and the caller's role in it, the project row locked as `lock` says (none by default).
    /// - Throws: `.notFound(.project)` unless the caller sees it.
    func visibleProject(_ id: ProjectID, for caller: Caller, locking lock: RowLock? = nil) async throws -> (
        Project, ProjectRole
    ) {
        guard let visible = try await projectIfVisible(id, for: caller, locking: lock) else {
            throw DomainError.notFound(.project)
        }
        return visible
    }

    /// The project and the caller's role in it, or `nil` when there is no such project or the caller cannot see it.
    func projectIfVisible(_ id: ProjectID, for caller: Caller, locking lock: RowLock? = nil) async throws -> (
        Project, ProjectRole
    )? {
        let found =
            if let lock { try await projectAccess(id, for: caller.id, locking: lock) } else {
                try await projectAccess(id, for: caller.id)
            }
        return caller.visibleProject(found)
    }

    /// The task, its project and what the caller may do with it, the task row locked as `lock` says (none by
    /// default). - Throws: `.notFound(.task)` unless visible.
    func visibleTask(_ id: TaskID, for caller: Caller, locking lock: RowLock? = nil) async throws -> VisibleTask {
        let found =
            if let lock { try await taskAccess(id, for: caller.id, locking: lock) } else {
                try await taskAccess(id, for: caller.id)
            }
        return try VisibleTask(found, for: caller)
    }

    /// The row of the user `claim` stands for, read once, with the caller it checks: for a claim that names the user
    /// itself as the record (`GET /users/me`).
    /// - Throws: `.unauthenticated` as `caller(for:)` does; `.notFound(.user)` for a checked caller whose user is gone.
    func claimedUser(by claim: some CallerClaim) async throws -> (User, Caller) {
        let (user, token) = try await claimedCredential(claim.identity)
        let caller = try claim.caller(from: user, token: token)
        guard let user else { throw DomainError.notFound(.user) }
        return (user, caller)
    }

    /// `claimedUser(by:)` with the user's row locked for a change until the transaction ends: one read for a
    /// claim that names the user by id; a personal access token is looked up first.
    /// - Throws: `.unauthenticated` as `caller(for:)` does; `.notFound(.user)` for a checked caller whose user is gone.
    func claimedUserLocked(by claim: some CallerClaim) async throws -> (User, Caller) {
        guard let userID = claim.identity.userID else {
            let caller = try await caller(for: claim)
            guard let user = try await lockUser(caller.id) else { throw DomainError.notFound(.user) }
            return (user, caller)
        }
        let user = try await lockUser(userID)
        let caller = try claim.caller(from: user, token: nil)
        guard let user else { throw DomainError.notFound(.user) }
        return (user, caller)
    }

    /// Another user's row (`nil` when there is none), locked until the transaction ends with `locking`, and the
    /// caller `claim` stands for, the claim's user read with it: for a system administrator's user routes.
    /// - Throws: `.unauthenticated` (or a personal access token's missing scope) before anything about the user.
    func claimedOtherUser(_ id: UserID, by claim: some CallerClaim, locking: Bool) async throws -> (User?, Caller) {
        if let caller = claim.checkedCaller { return (try await locking ? lockUser(id) : user(id), caller) }
        let found = try await locking ? lockUser(id, claimedBy: claim.identity) : user(id, claimedBy: claim.identity)
        return (found.facts, try found.caller(for: claim))
    }

    /// The caller `claim` stands for; its user's row (and token's) read on its own when the claim needs it.
    /// - Throws: `.unauthenticated` when the user may not use the credential (or a personal access token's missing
    ///   scope).
    func caller(for claim: some CallerClaim) async throws -> Caller {
        if let caller = claim.checkedCaller { return caller }
        return try await claimedUser(by: claim).1
    }

    /// `visibleTask(_:for:locking:)` for a claim: the claimed user's row is read with the task's facts, and the
    /// caller it stands for comes back with the task.
    /// - Throws: `.unauthenticated` (or a personal access token's missing scope) before anything about the task;
    ///   `.notFound(.task)` unless visible.
    func claimedTask(_ id: TaskID, by claim: some CallerClaim, locking lock: RowLock? = nil) async throws -> (
        VisibleTask, Caller
    ) {
        if let caller = claim.checkedCaller { return (try await visibleTask(id, for: caller, locking: lock), caller) }
        let found =
            if let lock { try await taskAccess(id, claimedBy: claim.identity, locking: lock) } else {
                try await taskAccess(id, claimedBy: claim.identity)
            }
        let caller = try found.caller(for: claim)
        return (try VisibleTask(found.facts, for: caller), caller)
    }

    /// `projectIfVisible(_:for:locking:)` for a claim: the claimed user's row is read with the project's facts.
    /// - Throws: `.unauthenticated` when the user may not use the credential (or a personal access token's missing
    ///   scope).
    func claimedProjectIfVisible(_ id: ProjectID, by claim: some CallerClaim, locking lock: RowLock? = nil)
        async throws -> (visible: (Project, ProjectRole)?, caller: Caller)
    {
        if let caller = claim.checkedCaller {
            return (try await projectIfVisible(id, for: caller, locking: lock), caller)
        }
        let found =
            if let lock { try await projectAccess(id, claimedBy: claim.identity, locking: lock) } else {
                try await projectAccess(id, claimedBy: claim.identity)
            }
        let caller = try found.caller(for: claim)
        return (caller.visibleProject(found.facts), caller)
    }

    /// `visibleProject(_:for:locking:)` for a claim (see `claimedProjectIfVisible`).
    /// - Throws: `.unauthenticated` (or a personal access token's missing scope) before anything about the project;
    ///   `.notFound(.project)` unless visible.
    func claimedProject(_ id: ProjectID, by claim: some CallerClaim, locking lock: RowLock? = nil) async throws -> (
        Project, ProjectRole, Caller
    ) {
        let (visible, caller) = try await claimedProjectIfVisible(id, by: claim, locking: lock)
        guard let (project, role) = visible else { throw DomainError.notFound(.project) }
        return (project, role, caller)
    }

    /// `visibilityScope(of:)` for a claim: the claimed user's row is read with the user's memberships.
    /// - Throws: `.unauthenticated` when the user may not use the credential (or a personal access token's missing
    ///   scope).
    func claimedScope(by claim: some CallerClaim) async throws -> (VisibilityScope, Caller) {
        if let caller = claim.checkedCaller { return (try await visibilityScope(of: caller), caller) }
        let found = try await workspaceMemberships(claimedBy: claim.identity)
        let caller = try found.caller(for: claim)
        return (VisibilityScope(caller: caller, memberships: found.facts ?? []), caller)
    }

    /// What the caller can see, for list queries.
    func visibilityScope(of caller: Caller) async throws -> VisibilityScope {
        VisibilityScope(caller: caller, memberships: try await workspaceMemberships(of: caller.id))
    }
}

/// A task the caller can see, with its project and the caller's permissions on it.
struct VisibleTask: Sendable {
    var task: TaskItem
    var project: Project?
    var permissions: TaskPermissions

    /// The task of `found`, with what `caller` may do with it. - Throws: `.notFound(.task)` unless visible.
    init(_ found: TaskAccessFacts?, for caller: Caller) throws {
        guard let facts = found, caller.reaches(facts.task.workspaceID) else { throw DomainError.notFound(.task) }
        let (workspaceRole, projectRole) = caller.effectiveRoles(
            workspaceMemberRole: facts.workspaceMemberRole, projectMemberRole: facts.projectMemberRole,
            in: facts.project)
        let permissions = AccessPolicy.taskPermissions(
            for: facts.task, caller: caller.id, workspaceRole: workspaceRole, projectRole: projectRole)
        guard permissions.canView else { throw DomainError.notFound(.task) }
        task = facts.task
        project = facts.project
        self.permissions = permissions
    }

    /// Throws `.forbidden` unless the caller may change the task, then `.conflict(.projectArchived)` when its
    /// project is archived.
    func requireEditable() throws {
        guard permissions.canEdit else { throw DomainError.forbidden }
        try project?.requireWritable()
    }
}

extension Project {
    /// Throws `.conflict(.projectArchived)` when the project is archived.
    func requireWritable() throws {
        if isArchived { throw DomainError.conflict(.projectArchived) }
    }
}

extension Caller {
    /// The workspace of `found` and the caller's effective role in it, or `nil` when there is no such workspace or
    /// the caller does not belong (or the caller's token does not reach it).
    func visibleWorkspace(_ found: WorkspaceAccessFacts?) -> (Workspace, WorkspaceRole)? {
        guard let facts = found, let role = workspaceRole(in: facts.workspace.id, membership: facts.memberRole),
            AccessPolicy.canViewWorkspace(role)
        else { return nil }
        return (facts.workspace, role)
    }

    /// The caller's effective role in a workspace where its stored membership is `membership` (`owner` for a system
    /// administrator), or `nil`; `nil` too for a workspace out of the caller's token's reach.
    func workspaceRole(in workspaceID: WorkspaceID, membership: WorkspaceRole?) -> WorkspaceRole? {
        guard reaches(workspaceID) else { return nil }
        return AccessPolicy.effectiveWorkspaceRole(membership: membership, isSystemAdmin: isSystemAdmin)
    }

    /// The project of `found` and the caller's role in it, or `nil` when there is no such project or the caller
    /// cannot see it.
    func visibleProject(_ found: ProjectAccessFacts?) -> (Project, ProjectRole)? {
        guard let facts = found, reaches(facts.project.workspaceID) else { return nil }
        let (_, projectRole) = effectiveRoles(
            workspaceMemberRole: facts.workspaceMemberRole, projectMemberRole: facts.projectMemberRole,
            in: facts.project)
        guard let role = projectRole, AccessPolicy.canViewProject(role) else { return nil }
        return (facts.project, role)
    }

    /// The caller's effective workspace role and, when there is a project, effective project role, from the stored
    /// memberships.
    func effectiveRoles(workspaceMemberRole: WorkspaceRole?, projectMemberRole: ProjectRole?, in project: Project?)
        -> (workspace: WorkspaceRole?, project: ProjectRole?)
    {
        let workspaceRole = AccessPolicy.effectiveWorkspaceRole(
            membership: workspaceMemberRole, isSystemAdmin: isSystemAdmin)
        let projectRole = project.flatMap { project in
            AccessPolicy.effectiveProjectRole(
                workspaceRole: workspaceRole, projectMemberRole: projectMemberRole, visibility: project.visibility)
        }
        return (workspaceRole, projectRole)
    }
}
