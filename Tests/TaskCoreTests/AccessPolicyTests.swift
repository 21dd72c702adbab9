import Foundation
import TaskTestSupport
import Testing

@testable import TaskCore

/// The permission matrix: for every rule, every role it allows and every role it denies.
@Suite("RBAC rules (AccessPolicy)")
struct AccessPolicyTests {
    static let workspaceRoles: [WorkspaceRole?] = [.owner, .admin, .member, .guest, nil]
    static let projectRoles: [ProjectRole?] = [.admin, .editor, .commenter, .viewer, nil]

    /// Expected effective project role, by workspace role (rows) and explicit project role (columns:
    /// none, admin, editor, commenter, viewer).
    static let expectedProjectRoles: [ProjectVisibility: [WorkspaceRole?: [ProjectRole?]]] = [
        .workspace: [
            .owner: [.admin, .admin, .admin, .admin, .admin],
            .admin: [.admin, .admin, .admin, .admin, .admin],
            .member: [.editor, .admin, .editor, .commenter, .viewer],
            .guest: [nil, .admin, .editor, .commenter, .viewer],
            nil: [nil, nil, nil, nil, nil],
        ],
        .private: [
            .owner: [.admin, .admin, .admin, .admin, .admin],
            .admin: [.admin, .admin, .admin, .admin, .admin],
            .member: [nil, .admin, .editor, .commenter, .viewer],
            .guest: [nil, .admin, .editor, .commenter, .viewer],
            nil: [nil, nil, nil, nil, nil],
        ],
    ]

    @Test(
        "effective project role over workspace role x project role x visibility", arguments: ProjectVisibility.allCases)
    func effectiveProjectRole(visibility: ProjectVisibility) throws {
        let explicitRoles: [ProjectRole?] = [nil, .admin, .editor, .commenter, .viewer]
        for workspaceRole in Self.workspaceRoles {
            let expected = try #require(Self.expectedProjectRoles[visibility]?[workspaceRole])
            for (explicit, expectedRole) in zip(explicitRoles, expected) {
                let role = AccessPolicy.effectiveProjectRole(
                    workspaceRole: workspaceRole, projectMemberRole: explicit, visibility: visibility)
                #expect(
                    role == expectedRole,
                    "workspace \(String(describing: workspaceRole)), explicit \(String(describing: explicit))")
            }
        }
    }

    @Test("a system administrator acts as a workspace owner")
    func systemAdminIsOwner() {
        #expect(AccessPolicy.effectiveWorkspaceRole(membership: nil, isSystemAdmin: true) == .owner)
        #expect(AccessPolicy.effectiveWorkspaceRole(membership: .guest, isSystemAdmin: true) == .owner)
        #expect(AccessPolicy.effectiveWorkspaceRole(membership: nil, isSystemAdmin: false) == nil)
        #expect(AccessPolicy.effectiveWorkspaceRole(membership: .guest, isSystemAdmin: false) == .guest)
    }

    /// A workspace rule and the roles it allows; every other role must be denied.
    struct WorkspaceRule: CustomTestStringConvertible, Sendable {
        let name: String
        let allowed: Set<WorkspaceRole>
        let check: @Sendable (WorkspaceRole?) -> Bool
        var testDescription: String { name }
    }

    static let workspaceRules: [WorkspaceRule] = [
        .init(
            name: "view workspace", allowed: [.owner, .admin, .member, .guest], check: AccessPolicy.canViewWorkspace),
        .init(name: "rename workspace", allowed: [.owner, .admin], check: AccessPolicy.canRenameWorkspace),
        .init(name: "delete workspace", allowed: [.owner], check: AccessPolicy.canDeleteWorkspace),
        .init(name: "list members", allowed: [.owner, .admin, .member], check: AccessPolicy.canListWorkspaceMembers),
        .init(name: "create project", allowed: [.owner, .admin, .member], check: AccessPolicy.canCreateProject),
        .init(
            name: "create task without project", allowed: [.owner, .admin, .member],
            check: AccessPolicy.canCreateProjectlessTask),
        .init(name: "manage members", allowed: [.owner, .admin], check: AccessPolicy.canManageWorkspaceMembers),
        .init(name: "add member", allowed: [.owner, .admin]) {
            AccessPolicy.canAddWorkspaceMember(as: $0, granting: .member)
        },
        .init(name: "add owner", allowed: [.owner]) { AccessPolicy.canAddWorkspaceMember(as: $0, granting: .owner) },
        .init(name: "promote member to admin", allowed: [.owner, .admin]) {
            AccessPolicy.canChangeWorkspaceRole(as: $0, from: .member, to: .admin)
        },
        .init(name: "grant owner", allowed: [.owner]) {
            AccessPolicy.canChangeWorkspaceRole(as: $0, from: .admin, to: .owner)
        },
        .init(name: "demote an owner", allowed: [.owner]) {
            AccessPolicy.canChangeWorkspaceRole(as: $0, from: .owner, to: .member)
        },
        .init(name: "remove a member", allowed: [.owner, .admin]) {
            AccessPolicy.canRemoveWorkspaceMember(as: $0, target: .member, isSelf: false)
        },
        .init(name: "remove an owner", allowed: [.owner]) {
            AccessPolicy.canRemoveWorkspaceMember(as: $0, target: .owner, isSelf: false)
        },
        .init(name: "leave (remove oneself)", allowed: [.owner, .admin, .member, .guest]) {
            AccessPolicy.canRemoveWorkspaceMember(as: $0, target: $0 ?? .guest, isSelf: true)
        },
    ]

    @Test("workspace rules allow exactly their roles", arguments: workspaceRules)
    func workspaceRule(_ rule: WorkspaceRule) {
        for role in Self.workspaceRoles {
            let isAllowed = role.map(rule.allowed.contains) ?? false
            #expect(rule.check(role) == isAllowed, "\(rule.name) as \(String(describing: role))")
        }
        #expect(!rule.allowed.isEmpty && rule.allowed.count < WorkspaceRole.allCases.count + 1)
    }

    /// A project rule and the roles it allows; every other role must be denied.
    struct ProjectRule: CustomTestStringConvertible, Sendable {
        let name: String
        let allowed: Set<ProjectRole>
        let check: @Sendable (ProjectRole?) -> Bool
        var testDescription: String { name }
    }

    static let projectRules: [ProjectRule] = [
        .init(
            name: "view project, its members, tasks", allowed: [.admin, .editor, .commenter, .viewer],
            check: AccessPolicy.canViewProject),
        .init(
            name: "change or delete project, manage members", allowed: [.admin], check: AccessPolicy.canManageProject),
        .init(name: "create and change tasks", allowed: [.admin, .editor], check: AccessPolicy.canEditTasks),
        .init(name: "comment", allowed: [.admin, .editor, .commenter], check: AccessPolicy.canComment),
        .init(name: "delete anyone's comment", allowed: [.admin], check: AccessPolicy.canDeleteAnyComment),
    ]

    @Test("project rules allow exactly their roles", arguments: projectRules)
    func projectRule(_ rule: ProjectRule) {
        for role in Self.projectRoles {
            let isAllowed = role.map(rule.allowed.contains) ?? false
            #expect(rule.check(role) == isAllowed, "\(rule.name) as \(String(describing: role))")
        }
        #expect(rule.check(nil) == false)
    }

    static let alice = UserID(UUID())
    static let bob = UserID(UUID())
    static let carol = UserID(UUID())

    static func task(projectID: ProjectID? = nil, assignee: UserID? = nil) -> TaskItem {
        TaskItem(
            id: TaskID(UUID()), workspaceID: WorkspaceID(UUID()), projectID: projectID, title: "t",
            assigneeID: assignee,
            ownerID: alice, createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
    }

    @Test("a task without a project: its owner, its assignee and workspace owners/admins see and change it")
    func projectlessTaskPermissions() {
        let task = Self.task(assignee: Self.bob)
        let owner = AccessPolicy.taskPermissions(
            for: task, caller: Self.alice, workspaceRole: .member, projectRole: nil)
        #expect(owner.canView && owner.canEdit && owner.canComment && !owner.canDeleteAnyComment)
        let assignee = AccessPolicy.taskPermissions(
            for: task, caller: Self.bob, workspaceRole: .guest, projectRole: nil)
        #expect(assignee.canView && assignee.canEdit)
        let admin = AccessPolicy.taskPermissions(for: task, caller: Self.carol, workspaceRole: .admin, projectRole: nil)
        #expect(admin.canView && admin.canEdit && admin.canDeleteAnyComment)
        let otherMember = AccessPolicy.taskPermissions(
            for: task, caller: Self.carol, workspaceRole: .member, projectRole: nil)
        #expect(otherMember == .none)
        let outsider = AccessPolicy.taskPermissions(for: task, caller: Self.alice, workspaceRole: nil, projectRole: nil)
        #expect(outsider == .none, "the owner who left the workspace loses the task")
    }

    @Test("a task in a project follows the project role", arguments: projectRoles)
    func projectTaskPermissions(role: ProjectRole?) {
        let task = Self.task(projectID: ProjectID(UUID()))
        let permissions = AccessPolicy.taskPermissions(
            for: task, caller: Self.carol, workspaceRole: .member, projectRole: role)
        #expect(permissions.canView == AccessPolicy.canViewProject(role))
        #expect(permissions.canEdit == AccessPolicy.canEditTasks(role))
        #expect(permissions.canComment == AccessPolicy.canComment(role))
        #expect(permissions.canDeleteAnyComment == AccessPolicy.canDeleteAnyComment(role))
    }

    @Test("comments: the author edits; the author or a moderator deletes")
    func commentRules() {
        let comment = Comment(
            id: CommentID(UUID()), taskID: TaskID(UUID()), workspaceID: WorkspaceID(UUID()), authorID: Self.alice,
            body: "hi", createdAt: Fixtures.instant(), updatedAt: Fixtures.instant())
        let moderator = TaskPermissions(canView: true, canEdit: true, canComment: true, canDeleteAnyComment: true)
        let editor = TaskPermissions(canView: true, canEdit: true, canComment: true, canDeleteAnyComment: false)
        #expect(AccessPolicy.canEditComment(comment, caller: Self.alice))
        #expect(!AccessPolicy.canEditComment(comment, caller: Self.bob))
        #expect(AccessPolicy.canDeleteComment(comment, caller: Self.alice, on: editor))
        #expect(AccessPolicy.canDeleteComment(comment, caller: Self.bob, on: moderator))
        #expect(!AccessPolicy.canDeleteComment(comment, caller: Self.bob, on: editor))
    }

    @Test("user administration: system administrators only")
    func userAdministration() {
        #expect(AccessPolicy.canAdministerUsers(Caller(id: Self.alice, isSystemAdmin: true)))
        #expect(!AccessPolicy.canAdministerUsers(Caller(id: Self.alice, isSystemAdmin: false)))
    }

    @Test("compatibility routes: the caller's own id only, a system administrator's too")
    func compatibilityRoutes() {
        #expect(AccessPolicy.canUseCompatibilityRoutes(of: Self.alice, caller: Caller(id: Self.alice)))
        #expect(!AccessPolicy.canUseCompatibilityRoutes(of: Self.bob, caller: Caller(id: Self.alice)))
        #expect(
            !AccessPolicy.canUseCompatibilityRoutes(of: Self.bob, caller: Caller(id: Self.alice, isSystemAdmin: true)))
    }
}
