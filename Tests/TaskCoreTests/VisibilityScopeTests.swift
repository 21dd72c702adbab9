import Foundation
import TaskTestSupport
import Testing

@testable import TaskCore

/// The list filter (`VisibilityScope`) must agree with the single-resource rule (`AccessPolicy`) everywhere.
@Suite("Visibility scope agrees with AccessPolicy")
struct VisibilityScopeTests {
    @Test(
        "projects: admitted exactly when the effective role is viewer or stronger",
        arguments: ProjectVisibility.allCases)
    func projectsAgree(visibility: ProjectVisibility) {
        let user = UserID(UUID())
        let workspaceID = WorkspaceID(UUID())
        let project = Project(
            id: ProjectID(UUID()), workspaceID: workspaceID, name: "p", visibility: visibility,
            createdAt: Fixtures.instant(), updatedAt: Fixtures.instant())
        for workspaceRole in AccessPolicyTests.workspaceRoles {
            for explicit in AccessPolicyTests.projectRoles {
                let memberships =
                    workspaceRole.map {
                        [
                            WorkspaceMember(
                                workspaceID: workspaceID, userID: user, role: $0, joinedAt: Fixtures.instant())
                        ]
                    } ?? []
                let scope = VisibilityScope(caller: Caller(id: user), memberships: memberships)
                let role = AccessPolicy.effectiveProjectRole(
                    workspaceRole: workspaceRole, projectMemberRole: explicit, visibility: visibility)
                #expect(
                    scope.admits(project, hasProjectRole: explicit != nil) == AccessPolicy.canViewProject(role),
                    "workspace \(String(describing: workspaceRole)), explicit \(String(describing: explicit))")
            }
        }
    }

    @Test("tasks without a project: admitted exactly when taskPermissions lets the caller view")
    func projectlessTasksAgree() {
        let user = UserID(UUID())
        let other = UserID(UUID())
        let workspaceID = WorkspaceID(UUID())
        for workspaceRole in AccessPolicyTests.workspaceRoles {
            for (owner, assignee) in [(user, nil), (other, user), (other, nil), (other, other)] as [(UserID, UserID?)] {
                let task = TaskItem(
                    id: TaskID(UUID()), workspaceID: workspaceID, title: "t", assigneeID: assignee, ownerID: owner,
                    createdAt: Fixtures.instant(), updatedAt: Fixtures.instant())
                let memberships =
                    workspaceRole.map {
                        [
                            WorkspaceMember(
                                workspaceID: workspaceID, userID: user, role: $0, joinedAt: Fixtures.instant())
                        ]
                    } ?? []
                let scope = VisibilityScope(caller: Caller(id: user), memberships: memberships)
                let permissions = AccessPolicy.taskPermissions(
                    for: task, caller: user, workspaceRole: workspaceRole, projectRole: nil)
                #expect(scope.admitsProjectless(task) == permissions.canView)
            }
        }
    }

    @Test("a system administrator's scope admits everything; a stranger's nothing")
    func unrestricted() {
        let project = Project(
            id: ProjectID(UUID()), workspaceID: WorkspaceID(UUID()), name: "p", visibility: .private,
            createdAt: Fixtures.instant(), updatedAt: Fixtures.instant())
        #expect(
            VisibilityScope(caller: Caller(id: UserID(UUID()), isSystemAdmin: true), memberships: []).admits(
                project, hasProjectRole: false))
        #expect(
            !VisibilityScope(caller: Caller(id: UserID(UUID())), memberships: []).admits(project, hasProjectRole: true))
    }
}
