/// Reads that fetch a record together with the memberships that decide what one user may do with it.
///
/// The use cases need both on nearly every request, so a store that can join them (PostgreSQL) answers each in
/// one query. The default implementation on `StoreTransaction` asks the other stores one by one; both give the
/// same answer, which the store conformance suite checks.
public protocol AccessFactStore: Sendable {
    /// The task with `id`, its project and `userID`'s memberships in the task's workspace and project; `nil`
    /// when there is no such task.
    func taskAccess(_ id: TaskID, for userID: UserID) async throws -> TaskAccessFacts?
    /// The project with `id` and `userID`'s memberships in it and in its workspace; `nil` when there is no such
    /// project.
    func projectAccess(_ id: ProjectID, for userID: UserID) async throws -> ProjectAccessFacts?
    /// `taskAccess`, with the task row locked until the transaction ends (see `RowLock`).
    func taskAccess(_ id: TaskID, for userID: UserID, locking lock: RowLock) async throws -> TaskAccessFacts?
    /// `projectAccess`, with the project row locked until the transaction ends (see `RowLock`).
    func projectAccess(_ id: ProjectID, for userID: UserID, locking lock: RowLock) async throws -> ProjectAccessFacts?
    /// The user `identity` finds (with the personal access token it found it through) and, when there is such a
    /// user, `taskAccess(id, for:)` that user: what a request that names a task needs when its credential names
    /// the user but the user's row has not been read yet.
    func taskAccess(_ id: TaskID, claimedBy identity: ClaimIdentity) async throws -> ClaimedTaskAccess
    /// The user `identity` finds and, when there is such a user, `projectAccess(id, for:)` that user.
    func projectAccess(_ id: ProjectID, claimedBy identity: ClaimIdentity) async throws -> ClaimedProjectAccess
    /// The workspace with `id` and `userID`'s membership in it; `nil` when there is no such workspace.
    func workspaceAccess(_ id: WorkspaceID, for userID: UserID) async throws -> WorkspaceAccessFacts?
    /// The user `identity` finds and, when there is such a user, `workspaceAccess(id, for:)` that user.
    func workspaceAccess(_ id: WorkspaceID, claimedBy identity: ClaimIdentity) async throws -> ClaimedWorkspaceAccess
    /// `workspaceAccess(_:for:)`, with the workspace row locked until the transaction ends (see `RowLock`).
    func workspaceAccess(_ id: WorkspaceID, for userID: UserID, locking lock: RowLock) async throws
        -> WorkspaceAccessFacts?
    /// `workspaceAccess(_:claimedBy:)`, with the workspace row locked until the transaction ends.
    func workspaceAccess(_ id: WorkspaceID, claimedBy identity: ClaimIdentity, locking lock: RowLock) async throws
        -> ClaimedWorkspaceAccess
    /// The user `identity` finds and, when there is such a user, the user's `workspaceMemberships`: what a list needs to know
    /// of its caller when the credential names the user but the user's row has not been read yet.
    func workspaceMemberships(claimedBy identity: ClaimIdentity) async throws -> ClaimedMemberships
    /// The user `identity` finds and, when there is such a user, a page of the workspaces the user belongs to
    /// (`WorkspaceStore.workspaces(of:within:after:limit:)`, `within` the workspaces of the personal access token
    /// the user was found through, when it names some): the workspace list of a request.
    func workspaces(claimedBy identity: ClaimIdentity, after: PagePosition?, limit: Int) async throws
        -> ClaimedAccess<[WorkspaceMembership]>
    /// The user `identity` finds and, when there is such a user, a page of the user's personal access tokens
    /// (`PersonalTokenStore.personalTokens(of:after:limit:)`): the token list of a request.
    func personalTokens(claimedBy identity: ClaimIdentity, after: PagePosition?, limit: Int) async throws
        -> ClaimedAccess<[PersonalAccessToken]>
    /// The user `identity` finds and, when there is such a user, that user's personal access token with `id`
    /// (`PersonalTokenStore.personalToken(_:of:)`).
    func personalToken(_ id: PersonalTokenID, claimedBy identity: ClaimIdentity) async throws
        -> ClaimedAccess<PersonalAccessToken>
    /// `personalToken(_:claimedBy:)`, with the token row locked until the transaction ends
    /// (`PersonalTokenStore.lockPersonalToken(_:of:)`).
    func lockPersonalToken(_ id: PersonalTokenID, claimedBy identity: ClaimIdentity) async throws
        -> ClaimedAccess<PersonalAccessToken>
    /// The user `identity` finds and, when there is such a user, a page of the personal access tokens of the user
    /// with `userID`, `nil` when there is no such user: a system administrator's list of a user's tokens.
    func personalTokens(of userID: UserID, claimedBy identity: ClaimIdentity, after: PagePosition?, limit: Int)
        async throws -> ClaimedAccess<[PersonalAccessToken]>
    /// The user `identity` finds and, when there is such a user, the token with `id` of the user with `userID`,
    /// locked until the transaction ends: a system administrator's revocation of a user's token.
    func lockPersonalToken(_ id: PersonalTokenID, of userID: UserID, claimedBy identity: ClaimIdentity)
        async throws -> ClaimedAccess<PersonalAccessToken>
    /// The user `identity` finds and, when there is such a user, the user with `id` (`UserStore.user(_:)`): what
    /// a system administrator's request that names a user needs.
    func user(_ id: UserID, claimedBy identity: ClaimIdentity) async throws -> ClaimedAccess<User>
    /// `user(_:claimedBy:)`, with the row of the user with `id` locked until the transaction ends
    /// (`UserStore.lockUser(_:)`).
    func lockUser(_ id: UserID, claimedBy identity: ClaimIdentity) async throws -> ClaimedAccess<User>
    /// The user `identity` finds and, when there is such a user, a page of every user (`UserStore.users(after:limit:)`):
    /// a system administrator's user list.
    func users(claimedBy identity: ClaimIdentity, after: PagePosition?, limit: Int) async throws
        -> ClaimedAccess<[User]>
    /// `taskAccess(_:claimedBy:)`, with the task row locked until the transaction ends.
    func taskAccess(_ id: TaskID, claimedBy identity: ClaimIdentity, locking lock: RowLock) async throws
        -> ClaimedTaskAccess
    /// `projectAccess(_:claimedBy:)`, with the project row locked until the transaction ends.
    func projectAccess(_ id: ProjectID, claimedBy identity: ClaimIdentity, locking lock: RowLock) async throws
        -> ClaimedProjectAccess
    /// The user `identity` finds and, when there is such a user, the comment with `id` and `taskAccess` of its
    /// task for that user: what a request that names a comment needs.
    func commentAccess(_ id: CommentID, claimedBy identity: ClaimIdentity) async throws -> ClaimedCommentAccess
    /// `commentAccess(_:claimedBy:)`, with the comment row locked until the transaction ends.
    func commentAccess(_ id: CommentID, claimedBy identity: ClaimIdentity, locking lock: RowLock) async throws
        -> ClaimedCommentAccess
}

/// A user's row and the facts about one record (a task, a project) for that user, read together; with the
/// personal access token the user was found through, when a token's digest was the claim.
public struct ClaimedAccess<Facts: Sendable & Equatable>: Sendable, Equatable {
    /// The user; `nil` when there is no such user (then `facts` is `nil` too).
    public var user: User?
    /// The personal access token the user was found through; `nil` for a claim by the user's id.
    public var token: PersonalAccessToken?
    /// The record's facts for the user; `nil` when there is no such record or no such user.
    public var facts: Facts?

    /// Creates the answer.
    public init(user: User?, token: PersonalAccessToken? = nil, facts: Facts?) {
        self.user = user
        self.token = token
        self.facts = facts
    }

    /// The caller `claim` stands for, given the user and token read here.
    /// - Throws: what `claim.caller(from:token:)` throws.
    public func caller(for claim: some CallerClaim) throws -> Caller {
        try claim.caller(from: user, token: token)
    }
}

/// A user's row and the facts about one task for that user.
public typealias ClaimedTaskAccess = ClaimedAccess<TaskAccessFacts>

/// A user's row and the facts about one project for that user.
public typealias ClaimedProjectAccess = ClaimedAccess<ProjectAccessFacts>

/// A user's row and the facts about one workspace for that user.
public typealias ClaimedWorkspaceAccess = ClaimedAccess<WorkspaceAccessFacts>

/// A user's row and the facts about one comment (the comment and its task's facts) for that user.
public typealias ClaimedCommentAccess = ClaimedAccess<CommentAccessFacts>

/// A user's row and every workspace membership of that user.
public typealias ClaimedMemberships = ClaimedAccess<[WorkspaceMember]>

/// How a read locks the row it returns until its transaction ends. Under READ COMMITTED a locking read also
/// returns the row as the last committed change left it, never an older one, so a change computed from it loses
/// no other change.
public enum RowLock: Sendable, Equatable {
    /// Others may read and share-lock the row but not change or delete it: taken on a parent before adding a
    /// child to it (a subtask, a comment, a task in a project), so that the parent cannot move or go away first.
    case share
    /// No other transaction may lock, change or delete the row: taken before changing or deleting it.
    case update
}

/// A task, its project, and one user's stored memberships around it. Facts only: `AccessPolicy` turns them into
/// permissions.
public struct TaskAccessFacts: Sendable, Equatable {
    /// The task.
    public var task: TaskItem
    /// The task's project; `nil` for a task outside projects.
    public var project: Project?
    /// The user's stored role in the task's workspace, or `nil` when the user does not belong.
    public var workspaceMemberRole: WorkspaceRole?
    /// The user's explicit role in the task's project, or `nil`.
    public var projectMemberRole: ProjectRole?

    /// Creates the facts.
    public init(task: TaskItem, project: Project?, workspaceMemberRole: WorkspaceRole?, projectMemberRole: ProjectRole?)
    {
        self.task = task
        self.project = project
        self.workspaceMemberRole = workspaceMemberRole
        self.projectMemberRole = projectMemberRole
    }
}

/// A project and one user's stored memberships around it.
public struct ProjectAccessFacts: Sendable, Equatable {
    /// The project.
    public var project: Project
    /// The user's stored role in the project's workspace, or `nil` when the user does not belong.
    public var workspaceMemberRole: WorkspaceRole?
    /// The user's explicit role in the project, or `nil`.
    public var projectMemberRole: ProjectRole?

    /// Creates the facts.
    public init(project: Project, workspaceMemberRole: WorkspaceRole?, projectMemberRole: ProjectRole?) {
        self.project = project
        self.workspaceMemberRole = workspaceMemberRole
        self.projectMemberRole = projectMemberRole
    }
}

/// A comment and the facts of its task for one user: a comment is as visible as its task.
public struct CommentAccessFacts: Sendable, Equatable {
    /// The comment.
    public var comment: Comment
    /// Its task's facts for the user.
    public var task: TaskAccessFacts

    /// Creates the facts.
    public init(comment: Comment, task: TaskAccessFacts) {
        self.comment = comment
        self.task = task
    }
}

/// A workspace and one user's stored membership in it.
public struct WorkspaceAccessFacts: Sendable, Equatable {
    /// The workspace.
    public var workspace: Workspace
    /// The user's stored role in the workspace, or `nil` when the user does not belong.
    public var memberRole: WorkspaceRole?

    /// Creates the facts.
    public init(workspace: Workspace, memberRole: WorkspaceRole?) {
        self.workspace = workspace
        self.memberRole = memberRole
    }
}

extension StoreTransaction {
    /// Reads the workspace, then the user's membership.
    public func workspaceAccess(_ id: WorkspaceID, for userID: UserID) async throws -> WorkspaceAccessFacts? {
        guard let workspace = try await workspace(id) else { return nil }
        return WorkspaceAccessFacts(workspace: workspace, memberRole: try await workspaceMember(id, userID)?.role)
    }

    /// Reads the user, then the user's memberships.
    public func workspaceMemberships(claimedBy identity: ClaimIdentity) async throws -> ClaimedMemberships {
        try await access(claimedBy: identity) { try await workspaceMemberships(of: $0) }
    }

    /// Reads the user (and token), then the page of workspaces.
    public func workspaces(claimedBy identity: ClaimIdentity, after: PagePosition?, limit: Int) async throws
        -> ClaimedAccess<[WorkspaceMembership]>
    {
        let (user, token) = try await claimedCredential(identity)
        guard let user else { return ClaimedAccess(user: nil, facts: nil) }
        let page = try await workspaces(of: user.id, within: token?.workspaceIDs, after: after, limit: limit)
        return ClaimedAccess(user: user, token: token, facts: page)
    }

    /// Reads the user (and token), then the page of the user's tokens.
    public func personalTokens(claimedBy identity: ClaimIdentity, after: PagePosition?, limit: Int) async throws
        -> ClaimedAccess<[PersonalAccessToken]>
    {
        try await access(claimedBy: identity) { try await personalTokens(of: $0, after: after, limit: limit) }
    }

    /// Reads the user (and token), then the user's token with `id`.
    public func personalToken(_ id: PersonalTokenID, claimedBy identity: ClaimIdentity) async throws
        -> ClaimedAccess<PersonalAccessToken>
    {
        try await access(claimedBy: identity) { try await personalToken(id, of: $0) }
    }

    /// Reads the user (and token), then the user with `id`.
    public func user(_ id: UserID, claimedBy identity: ClaimIdentity) async throws -> ClaimedAccess<User> {
        try await access(claimedBy: identity) { _ in try await user(id) }
    }

    /// Reads the user (and token), then locks the user with `id`.
    public func lockUser(_ id: UserID, claimedBy identity: ClaimIdentity) async throws -> ClaimedAccess<User> {
        try await access(claimedBy: identity) { _ in try await lockUser(id) }
    }

    /// Reads the user (and token), then the page of every user.
    public func users(claimedBy identity: ClaimIdentity, after: PagePosition?, limit: Int) async throws
        -> ClaimedAccess<[User]>
    {
        try await access(claimedBy: identity) { _ in try await users(after: after, limit: limit) }
    }

    /// Reads the user (and token), then whether the user with `userID` exists, then the page of that user's tokens.
    public func personalTokens(
        of userID: UserID, claimedBy identity: ClaimIdentity, after: PagePosition?, limit: Int
    ) async throws -> ClaimedAccess<[PersonalAccessToken]> {
        try await access(claimedBy: identity) { _ in
            guard try await user(userID) != nil else { return nil }
            return try await personalTokens(of: userID, after: after, limit: limit)
        }
    }

    /// Reads the user (and token), then locks the token with `id` of the user with `userID`.
    public func lockPersonalToken(_ id: PersonalTokenID, of userID: UserID, claimedBy identity: ClaimIdentity)
        async throws -> ClaimedAccess<PersonalAccessToken>
    {
        try await access(claimedBy: identity) { _ in try await lockPersonalToken(id, of: userID) }
    }

    /// Reads the user (and token), then locks the user's token with `id`.
    public func lockPersonalToken(_ id: PersonalTokenID, claimedBy identity: ClaimIdentity) async throws
        -> ClaimedAccess<PersonalAccessToken>
    {
        try await access(claimedBy: identity) { try await lockPersonalToken(id, of: $0) }
    }

    /// Reads the user, then the workspace's facts.
    public func workspaceAccess(_ id: WorkspaceID, claimedBy identity: ClaimIdentity) async throws
        -> ClaimedWorkspaceAccess
    {
        try await access(claimedBy: identity) { try await workspaceAccess(id, for: $0) }
    }

    /// Locks the workspace row for a change (`lockWorkspace`, whatever `lock` asks), then reads the user's
    /// membership.
    public func workspaceAccess(_ id: WorkspaceID, for userID: UserID, locking lock: RowLock) async throws
        -> WorkspaceAccessFacts?
    {
        guard let workspace = try await lockWorkspace(id) else { return nil }
        return WorkspaceAccessFacts(workspace: workspace, memberRole: try await workspaceMember(id, userID)?.role)
    }

    /// Reads the user, then the workspace's facts with the workspace row locked.
    public func workspaceAccess(_ id: WorkspaceID, claimedBy identity: ClaimIdentity, locking lock: RowLock)
        async throws -> ClaimedWorkspaceAccess
    {
        try await access(claimedBy: identity) { try await workspaceAccess(id, for: $0, locking: lock) }
    }

    /// Gathers the facts with one read per record.
    public func taskAccess(_ id: TaskID, for userID: UserID) async throws -> TaskAccessFacts? {
        guard let task = try await task(id) else { return nil }
        let workspaceMember = try await workspaceMember(task.workspaceID, userID)
        var project: Project?
        var projectMember: ProjectMember?
        if let projectID = task.projectID {
            project = try await self.project(projectID)
            projectMember = try await self.projectMember(projectID, userID)
        }
        return TaskAccessFacts(
            task: task, project: project, workspaceMemberRole: workspaceMember?.role,
            projectMemberRole: projectMember?.role)
    }

    /// Gathers the facts with one read per record and takes no lock: enough for a store whose transactions run
    /// one at a time from their first read.
    public func taskAccess(_ id: TaskID, for userID: UserID, locking lock: RowLock) async throws -> TaskAccessFacts? {
        try await taskAccess(id, for: userID)
    }

    /// Gathers the facts with one read per record and takes no lock: enough for a store whose transactions run
    /// one at a time from their first read.
    public func projectAccess(_ id: ProjectID, for userID: UserID, locking lock: RowLock) async throws
        -> ProjectAccessFacts?
    {
        try await projectAccess(id, for: userID)
    }

    /// Reads the user, then the task's facts.
    public func taskAccess(_ id: TaskID, claimedBy identity: ClaimIdentity) async throws -> ClaimedTaskAccess {
        try await access(claimedBy: identity) { try await taskAccess(id, for: $0) }
    }

    /// Reads the user, then the project's facts.
    public func projectAccess(_ id: ProjectID, claimedBy identity: ClaimIdentity) async throws -> ClaimedProjectAccess {
        try await access(claimedBy: identity) { try await projectAccess(id, for: $0) }
    }

    /// Reads the user, then the task's facts with the task row locked.
    public func taskAccess(_ id: TaskID, claimedBy identity: ClaimIdentity, locking lock: RowLock) async throws
        -> ClaimedTaskAccess
    {
        try await access(claimedBy: identity) { try await taskAccess(id, for: $0, locking: lock) }
    }

    /// Reads the user, then the project's facts with the project row locked.
    public func projectAccess(_ id: ProjectID, claimedBy identity: ClaimIdentity, locking lock: RowLock) async throws
        -> ClaimedProjectAccess
    {
        try await access(claimedBy: identity) { try await projectAccess(id, for: $0, locking: lock) }
    }

    /// Reads the user, then the comment, then its task's facts.
    public func commentAccess(_ id: CommentID, claimedBy identity: ClaimIdentity) async throws
        -> ClaimedCommentAccess
    {
        try await access(claimedBy: identity) { userID in
            guard let comment = try await comment(id) else { return nil }
            return try await taskAccess(comment.taskID, for: userID).map {
                CommentAccessFacts(comment: comment, task: $0)
            }
        }
    }

    /// Reads the user, then locks the comment, then reads its task's facts.
    public func commentAccess(_ id: CommentID, claimedBy identity: ClaimIdentity, locking lock: RowLock)
        async throws -> ClaimedCommentAccess
    {
        try await access(claimedBy: identity) { userID in
            guard let comment = try await lockComment(id) else { return nil }
            return try await taskAccess(comment.taskID, for: userID).map {
                CommentAccessFacts(comment: comment, task: $0)
            }
        }
    }

    /// The user `identity` finds (with the token it was found through) and, when there is such a user, what
    /// `facts` reads for that user.
    private func access<Facts>(claimedBy identity: ClaimIdentity, _ facts: (UserID) async throws -> Facts?)
        async throws -> ClaimedAccess<Facts>
    {
        let (user, token) = try await claimedCredential(identity)
        guard let user else { return ClaimedAccess(user: nil, facts: nil) }
        return ClaimedAccess(user: user, token: token, facts: try await facts(user.id))
    }

    /// The user `identity` finds, with the personal access token it was found through (`nil` for a user id), each
    /// `nil` when there is none.
    func claimedCredential(_ identity: ClaimIdentity) async throws -> (user: User?, token: PersonalAccessToken?) {
        switch identity {
        case .user(let userID):
            return (try await user(userID), nil)
        case .personalToken(let lookup):
            let found = try await personalTokenCredential(lookup)
            return (found?.1, found?.0)
        }
    }

    /// Gathers the facts with one read per record.
    public func projectAccess(_ id: ProjectID, for userID: UserID) async throws -> ProjectAccessFacts? {
        guard let project = try await project(id) else { return nil }
        let workspaceMember = try await workspaceMember(project.workspaceID, userID)
        let projectMember = try await projectMember(id, userID)
        return ProjectAccessFacts(
            project: project, workspaceMemberRole: workspaceMember?.role, projectMemberRole: projectMember?.role)
    }
}
