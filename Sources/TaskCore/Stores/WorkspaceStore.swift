/// Workspaces and their memberships, inside a transaction.
public protocol WorkspaceStore: Sendable {
    /// The workspace with `id`, or `nil`.
    func workspace(_ id: WorkspaceID) async throws -> Workspace?
    /// The workspace with `id`, or `nil`, locked for a read-modify-write until the transaction ends.
    func lockWorkspace(_ id: WorkspaceID) async throws -> Workspace?
    /// Stores a new workspace.
    func insertWorkspace(_ workspace: Workspace) async throws
    /// Stores a new workspace with its first owner's membership (`owner`) and appends the events
    /// that record them: one statement on PostgreSQL.
    func insertWorkspace(_ workspace: Workspace, owner: WorkspaceMember, recording events: [ActivityEvent])
        async throws
    /// Replaces a stored workspace. - Throws: `.notFound(.workspace)` when it is gone.
    func updateWorkspace(_ workspace: Workspace) async throws
    /// Deletes a workspace with its memberships, projects, tasks, comments and activity.
    func deleteWorkspace(_ id: WorkspaceID) async throws

    /// The membership of `userID` in `workspaceID`, or `nil`.
    func workspaceMember(_ workspaceID: WorkspaceID, _ userID: UserID) async throws -> WorkspaceMember?
    /// The membership of `userID` in `workspaceID`, or `nil`, locked for a read-modify-write until the
    /// transaction ends.
    func lockWorkspaceMember(_ workspaceID: WorkspaceID, _ userID: UserID) async throws -> WorkspaceMember?
    /// Every workspace membership of a user.
    func workspaceMemberships(of userID: UserID) async throws -> [WorkspaceMember]
    /// The workspaces a user belongs to with the user's role, ordered by the workspace's `(createdAt, id)`; only
    /// those in `within` when it is given.
    func workspaces(
        of userID: UserID, within: Set<WorkspaceID>?, after: PagePosition?, limit: Int
    ) async throws -> [WorkspaceMembership]
    /// A workspace's members with email and name, ordered by `(joinedAt, userID)`.
    func workspaceMembers(of workspaceID: WorkspaceID, after: PagePosition?, limit: Int) async throws -> [MemberProfile]
    /// Stores a new membership. - Throws: `.conflict(.alreadyMember)` when the user already belongs.
    func insertWorkspaceMember(_ member: WorkspaceMember) async throws
    /// Replaces a membership's role. - Throws: `.notFound(.member)` when the membership is gone.
    func updateWorkspaceMember(_ member: WorkspaceMember) async throws
    /// Removes a membership.
    func deleteWorkspaceMember(_ workspaceID: WorkspaceID, _ userID: UserID) async throws
    /// The ids of a workspace's owners, locking their membership rows until the transaction ends so that two
    /// transactions that each remove an owner cannot both see another owner left.
    func lockOwners(of workspaceID: WorkspaceID) async throws -> [UserID]
}

extension StoreTransaction {
    /// Inserts the workspace, then its owner's membership, then appends the events.
    public func insertWorkspace(_ workspace: Workspace, owner: WorkspaceMember, recording events: [ActivityEvent])
        async throws
    {
        try await insertWorkspace(workspace)
        try await insertWorkspaceMember(owner)
        try await appendEvents(events)
    }
}
