import TaskAuth
import TaskCore

/// Every use case the HTTP routes call, built once by the composition root (`taskd`, or a test).
public struct TaskdServices: Sendable {
    /// The store, for readiness.
    public var store: any DataStore
    /// Registration and the caller's account.
    public var accounts: AccountService
    /// User administration.
    public var admin: UserAdministration
    /// Login, refresh, logout, and callers from tokens.
    public var sessions: SessionService
    /// Access token verification.
    public var accessTokens: JWTAccessTokens
    /// Workspaces and members.
    public var workspaces: WorkspaceService
    /// Projects.
    public var projects: ProjectService
    /// Project members.
    public var projectMembers: ProjectMemberService
    /// Tasks.
    public var tasks: TaskService
    /// Comments.
    public var comments: CommentService
    /// Activity.
    public var activity: ActivityService

    /// Builds every use case over one store.
    public init(
        store: any DataStore, hasher: any PasswordHasher, accessTokens: JWTAccessTokens,
        refreshTokens: any RefreshTokenMinter = RandomRefreshTokens(), now: @escaping Now = systemNow,
        ids: any IDGenerator = RandomIDGenerator()
    ) {
        self.store = store
        accounts = AccountService(store: store, hasher: hasher, now: now, ids: ids)
        admin = UserAdministration(store: store, now: now, ids: ids)
        sessions = SessionService(
            store: store, accounts: accounts, accessTokens: accessTokens, refreshTokens: refreshTokens, now: now)
        self.accessTokens = accessTokens
        workspaces = WorkspaceService(store: store, now: now, ids: ids)
        projects = ProjectService(store: store, now: now, ids: ids)
        projectMembers = ProjectMemberService(store: store, now: now)
        tasks = TaskService(store: store, now: now, ids: ids)
        comments = CommentService(store: store, now: now, ids: ids)
        activity = ActivityService(store: store)
    }
}
