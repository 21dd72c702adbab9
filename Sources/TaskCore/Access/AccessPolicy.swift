/// The RBAC rules of the contract as pure functions. Nothing else in taskd decides who may do what: use cases
/// look roles up and ask these functions.
///
/// Roles passed in are the caller's *effective* roles: `nil` when the caller has none, and a system administrator
/// counts as a workspace `owner` everywhere (see `effectiveWorkspaceRole`).
public enum AccessPolicy {
    // MARK: Effective roles

    /// The caller's role in a workspace: their membership's role, or `owner` for a system administrator.
    public static func effectiveWorkspaceRole(membership: WorkspaceRole?, isSystemAdmin: Bool) -> WorkspaceRole? {
        isSystemAdmin ? .owner : membership
    }

    /// The caller's role in a project.
    ///
    /// Workspace owners and admins are project `admin` everywhere in their workspace; in a `workspace`-visible
    /// project every other non-guest member is an `editor` unless given another role; otherwise only an explicit
    /// project role counts. Someone outside the workspace has no role, whatever rows remain.
    public static func effectiveProjectRole(
        workspaceRole: WorkspaceRole?, projectMemberRole: ProjectRole?, visibility: ProjectVisibility
    ) -> ProjectRole? {
        guard let workspaceRole else { return nil }
        switch workspaceRole {
        case .owner, .admin:
            return .admin
        case .member:
            if let projectMemberRole { return projectMemberRole }
            return visibility == .workspace ? .editor : nil
        case .guest:
            return projectMemberRole
        }
    }

    // MARK: Workspaces

    /// Reading a workspace: any member.
    public static func canViewWorkspace(_ role: WorkspaceRole?) -> Bool { role != nil }

    /// Renaming a workspace: `admin` or stronger.
    public static func canRenameWorkspace(_ role: WorkspaceRole?) -> Bool { isAtLeast(role, .admin) }

    /// Deleting a workspace with everything in it: `owner`.
    public static func canDeleteWorkspace(_ role: WorkspaceRole?) -> Bool { isAtLeast(role, .owner) }

    /// Reading the members list or one member: any member but a `guest`.
    public static func canListWorkspaceMembers(_ role: WorkspaceRole?) -> Bool { isAtLeast(role, .member) }

    /// Adding a member with `newRole`: `admin` or stronger, and only an `owner` grants `owner`.
    /// Whether the role may manage other members at all (`admin`+). Decided before the target member is looked
    /// up, so that a caller who may not manage members learns nothing about who is one.
    public static func canManageWorkspaceMembers(_ role: WorkspaceRole?) -> Bool { isAtLeast(role, .admin) }

    /// Reading a workspace's event feed: `admin`+ (a system administrator counts as `owner`).
    public static func canReadWorkspaceEvents(_ role: WorkspaceRole?) -> Bool { isAtLeast(role, .admin) }

    /// Creating, reading, changing and deleting a workspace's webhooks: `admin`+.
    public static func canManageWebhooks(_ role: WorkspaceRole?) -> Bool { isAtLeast(role, .admin) }

    /// Whether the role may add a member with `newRole` (`admin`+; only an `owner` adds an `owner`).
    public static func canAddWorkspaceMember(as role: WorkspaceRole?, granting newRole: WorkspaceRole) -> Bool {
        guard isAtLeast(role, .admin) else { return false }
        return newRole != .owner || role == .owner
    }

    /// Changing a member's role from `current` to `newRole`: `admin` or stronger, and only an `owner` grants
    /// `owner` or changes an `owner`'s role.
    public static func canChangeWorkspaceRole(
        as role: WorkspaceRole?, from current: WorkspaceRole, to newRole: WorkspaceRole
    ) -> Bool {
        guard isAtLeast(role, .admin) else { return false }
        if current == .owner || newRole == .owner { return role == .owner }
        return true
    }

    /// Removing a member whose role is `target`: the member itself (leaving), or `admin` or stronger, and only an
    /// `owner` removes an `owner`.
    public static func canRemoveWorkspaceMember(as role: WorkspaceRole?, target: WorkspaceRole, isSelf: Bool) -> Bool {
        if isSelf { return role != nil }
        guard isAtLeast(role, .admin) else { return false }
        return target != .owner || role == .owner
    }

    /// Creating a project in a workspace: `member` or stronger.
    public static func canCreateProject(_ role: WorkspaceRole?) -> Bool { isAtLeast(role, .member) }

    /// Creating a task without a project: `member` or stronger.
    public static func canCreateProjectlessTask(_ role: WorkspaceRole?) -> Bool { isAtLeast(role, .member) }

    // MARK: Projects

    /// Reading a project, its members and its tasks: `viewer` or stronger.
    public static func canViewProject(_ role: ProjectRole?) -> Bool { isAtLeast(role, .viewer) }

    /// Changing or deleting a project and managing its members: project `admin`.
    public static func canManageProject(_ role: ProjectRole?) -> Bool { isAtLeast(role, .admin) }

    /// Creating, changing, completing, moving and deleting tasks in a project: `editor` or stronger.
    public static func canEditTasks(_ role: ProjectRole?) -> Bool { isAtLeast(role, .editor) }

    /// Commenting on a project's tasks: `commenter` or stronger.
    public static func canComment(_ role: ProjectRole?) -> Bool { isAtLeast(role, .commenter) }

    /// Deleting anyone's comment on a project's tasks: project `admin`.
    public static func canDeleteAnyComment(_ role: ProjectRole?) -> Bool { isAtLeast(role, .admin) }

    // MARK: Tasks

    /// What the caller may do with one task.
    ///
    /// A task in a project follows the caller's project role. A task with no project is seen and changed by its
    /// owner, its assignee and the workspace's owners and admins, who also moderate its comments; each of them
    /// may comment.
    public static func taskPermissions(
        for task: TaskItem, caller: UserID, workspaceRole: WorkspaceRole?, projectRole: ProjectRole?
    ) -> TaskPermissions {
        if task.projectID != nil {
            return TaskPermissions(
                canView: canViewProject(projectRole),
                canEdit: canEditTasks(projectRole),
                canComment: canComment(projectRole),
                canDeleteAnyComment: canDeleteAnyComment(projectRole)
            )
        }
        guard let workspaceRole else { return .none }
        let isWorkspaceAdmin = workspaceRole.isAdminOrOwner
        let isInvolved = isWorkspaceAdmin || task.ownerID == caller || task.assigneeID == caller
        return TaskPermissions(
            canView: isInvolved, canEdit: isInvolved, canComment: isInvolved, canDeleteAnyComment: isWorkspaceAdmin)
    }

    /// Changing a comment's body: its author only.
    public static func canEditComment(_ comment: Comment, caller: UserID) -> Bool { comment.authorID == caller }

    /// Deleting a comment: its author, or whoever moderates the task's comments.
    public static func canDeleteComment(_ comment: Comment, caller: UserID, on task: TaskPermissions) -> Bool {
        comment.authorID == caller || task.canDeleteAnyComment
    }

    // MARK: Users

    /// The user administration routes: system administrators only, signed in (never with a personal access token).
    public static func canAdministerUsers(_ caller: Caller) -> Bool { caller.isSystemAdmin && caller.hasSession }

    /// Whether the caller may use the compatibility routes (`/api/{user_id}/tasks...`) of `userID`: only their own,
    /// whoever they are (a system administrator included).
    public static func canUseCompatibilityRoutes(of userID: UserID, caller: Caller) -> Bool { userID == caller.id }

    private static func isAtLeast<Role: Comparable>(_ role: Role?, _ minimum: Role) -> Bool {
        guard let role else { return false }
        return role >= minimum
    }
}

/// What one caller may do with one task, as `AccessPolicy.taskPermissions` decided it.
public struct TaskPermissions: Sendable, Equatable {
    /// May read the task, its subtasks, comments and activity.
    public var canView: Bool
    /// May change, complete, move or delete it.
    public var canEdit: Bool
    /// May add comments to it.
    public var canComment: Bool
    /// May delete comments others wrote on it.
    public var canDeleteAnyComment: Bool

    /// No permission at all.
    public static let none = TaskPermissions(
        canView: false, canEdit: false, canComment: false, canDeleteAnyComment: false)

    /// Creates a permission set.
    public init(canView: Bool, canEdit: Bool, canComment: Bool, canDeleteAnyComment: Bool) {
        self.canView = canView
        self.canEdit = canEdit
        self.canComment = canComment
        self.canDeleteAnyComment = canDeleteAnyComment
    }
}
