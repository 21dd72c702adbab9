import Foundation
import TaskCore
import TaskStore

/// Every use case over one store, with a stepping clock and counting ids; the fixture most tests start from.
public struct TestWorld: Sendable {
    /// The store under the use cases.
    public let store: any DataStore
    /// Registration and accounts.
    public let accounts: AccountService
    /// User administration.
    public let admin: UserAdministration
    /// Workspaces and members.
    public let workspaces: WorkspaceService
    /// Projects.
    public let projects: ProjectService
    /// Project members.
    public let projectMembers: ProjectMemberService
    /// Tasks.
    public let tasks: TaskService
    /// Comments.
    public let comments: CommentService
    /// Activity.
    public let activity: ActivityService
    /// The event feeds.
    public let events: EventFeedService
    /// The clock every use case reads.
    public let clock: SteppingClock

    /// Builds the use cases over `store` (a new memory store by default).
    public init(store: any DataStore = MemoryStore()) {
        let clock = SteppingClock()
        let ids = CountingIDGenerator()
        self.store = store
        accounts = AccountService(store: store, hasher: PlainPasswordHasher(), now: clock.now, ids: ids)
        admin = UserAdministration(store: store, now: clock.now, ids: ids)
        workspaces = WorkspaceService(store: store, now: clock.now, ids: ids)
        projects = ProjectService(store: store, now: clock.now, ids: ids)
        projectMembers = ProjectMemberService(store: store, now: clock.now, ids: ids)
        tasks = TaskService(store: store, now: clock.now, ids: ids)
        comments = CommentService(store: store, now: clock.now, ids: ids)
        activity = ActivityService(store: store)
        events = EventFeedService(store: store, now: clock.now)
        self.clock = clock
    }

    /// Registers a user named `name` with email `name@example.com` and returns them as a caller.
    @discardableResult
    public func register(_ name: String) async throws -> Caller {
        Caller(try await accounts.register(email: "\(name)@example.com", password: "password-\(name)", name: name))
    }

    /// A workspace owned by `owner` with each of `members` added in the given role.
    public func workspace(
        owner: Caller, members: [(Caller, WorkspaceRole)] = [], name: String = "Acme"
    ) async throws -> WorkspaceID {
        let workspace = try await workspaces.create(owner, name: name).workspace.id
        for (member, role) in members {
            let email = try await accounts.me(member).email.value
            _ = try await workspaces.addMember(owner, to: workspace, email: email, role: role)
        }
        return workspace
    }
}
