/// Which projects and tasks one caller can see, in a form a store can apply to a whole list at once.
///
/// It restates `AccessPolicy`'s visibility rules over sets of workspaces, so that a store filters rows without
/// deciding access itself; `VisibilityScopeTests` checks the two agree for every combination of roles.
public struct VisibilityScope: Sendable, Equatable {
    /// The caller.
    public var userID: UserID
    /// A system administrator sees everything.
    public var isUnrestricted: Bool
    /// Workspaces where the caller is `owner` or `admin`: every project and task in them.
    public var adminWorkspaces: Set<WorkspaceID>
    /// Workspaces where the caller is `member` or stronger: their `workspace`-visible projects.
    public var memberWorkspaces: Set<WorkspaceID>
    /// Every workspace the caller belongs to: projects where the caller has a project role, and tasks without a
    /// project that the caller owns or is assigned.
    public var anyRoleWorkspaces: Set<WorkspaceID>

    /// Derives the scope from the caller's workspace memberships. A caller whose token reaches some workspaces only
    /// sees as if they belonged to those only (a system administrator: as if owner of those only).
    public init(caller: Caller, memberships: [WorkspaceMember]) {
        let reached = memberships.filter { caller.reaches($0.workspaceID) }
        userID = caller.id
        isUnrestricted = caller.isSystemAdmin
        adminWorkspaces = Set(reached.filter { $0.role.isAdminOrOwner }.map(\.workspaceID))
        memberWorkspaces = Set(reached.filter { $0.role >= .member }.map(\.workspaceID))
        anyRoleWorkspaces = Set(reached.map(\.workspaceID))
        if caller.isSystemAdmin, let limit = caller.grant?.workspaceIDs {
            isUnrestricted = false
            adminWorkspaces = limit
            memberWorkspaces = limit
            anyRoleWorkspaces = limit
        }
    }

    /// A scope that admits everything, for internal listings such as a visible task's subtasks.
    public static func unrestricted(for userID: UserID) -> VisibilityScope {
        var scope = VisibilityScope(caller: Caller(id: userID, isSystemAdmin: true), memberships: [])
        scope.isUnrestricted = true
        return scope
    }

    /// Whether the caller sees `project`, given whether the caller holds an explicit role in it.
    public func admits(_ project: Project, hasProjectRole: Bool) -> Bool {
        if isUnrestricted || adminWorkspaces.contains(project.workspaceID) { return true }
        if project.visibility == .workspace && memberWorkspaces.contains(project.workspaceID) { return true }
        return hasProjectRole && anyRoleWorkspaces.contains(project.workspaceID)
    }

    /// Whether the caller sees a task without a project.
    public func admitsProjectless(_ task: TaskItem) -> Bool {
        if isUnrestricted || adminWorkspaces.contains(task.workspaceID) { return true }
        return anyRoleWorkspaces.contains(task.workspaceID) && (task.ownerID == userID || task.assigneeID == userID)
    }
}
