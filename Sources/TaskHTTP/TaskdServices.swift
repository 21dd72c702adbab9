import TaskCore

/// Every use case the HTTP API calls. The composition root (`taskd`, or a test) builds them, with its clock and its
/// id generator, and passes them in; TaskHTTP builds nothing itself.
public struct TaskdServices: Sendable {
    /// The store, for the readiness probe.
    public var store: any DataStore
    /// Registration and the caller's account.
    public var accounts: AccountService
    /// User administration.
    public var admin: UserAdministration
    /// Login, refresh, logout, and callers from tokens.
    public var sessions: SessionService
    /// Access token verification.
    public var accessTokens: any AccessTokenVerifier
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
    /// Recorded answers of requests sent with `Idempotency-Key`.
    public var idempotency: IdempotencyService
    /// The event feeds.
    public var events: EventFeedService
    /// Webhooks.
    public var webhooks: WebhookService
    /// Personal access tokens.
    public var personalTokens: PersonalTokenService
    /// The requests in flight, counted by the router, for background work that yields to a busy API.
    public var requestLoad = RequestLoad()

    /// Collects the use cases.
    public init(
        store: any DataStore, accounts: AccountService, admin: UserAdministration, sessions: SessionService,
        accessTokens: any AccessTokenVerifier, workspaces: WorkspaceService, projects: ProjectService,
        projectMembers: ProjectMemberService, tasks: TaskService, comments: CommentService, activity: ActivityService,
        idempotency: IdempotencyService, events: EventFeedService, webhooks: WebhookService,
        personalTokens: PersonalTokenService
    ) {
        self.store = store
        self.accounts = accounts
        self.admin = admin
        self.sessions = sessions
        self.accessTokens = accessTokens
        self.workspaces = workspaces
        self.projects = projects
        self.projectMembers = projectMembers
        self.tasks = tasks
        self.comments = comments
        self.activity = activity
        self.idempotency = idempotency
        self.events = events
        self.webhooks = webhooks
        self.personalTokens = personalTokens
    }
}
