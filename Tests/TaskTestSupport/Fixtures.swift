import Foundation
import TaskCore

/// Named rows for store-level tests, built at the stepping clock's start.
public enum Fixtures {
    /// 2026-11-22T10:00:00Z plus `milliseconds`.
    public static func instant(_ milliseconds: Int = 0) -> Date {
        Date(timeIntervalSince1970: SteppingClock.start.timeIntervalSince1970 + Double(milliseconds) / 1000)
    }

    /// A user with email `name@example.com`.
    public static func user(_ name: String, ids: some IDGenerator, at milliseconds: Int = 0) -> User {
        User(
            id: ids.make(), email: EmailAddress(normalized: "\(name)@example.com"), name: name, passwordHash: "plain:x",
            passwordChangedAt: instant(milliseconds), createdAt: instant(milliseconds), updatedAt: instant(milliseconds)
        )
    }

    /// A workspace.
    public static func workspace(_ name: String, ids: some IDGenerator, at milliseconds: Int = 0) -> Workspace {
        Workspace(id: ids.make(), name: name, createdAt: instant(milliseconds), updatedAt: instant(milliseconds))
    }

    /// A project in `workspaceID`.
    public static func project(
        _ name: String, in workspaceID: WorkspaceID, visibility: ProjectVisibility = .workspace, ids: some IDGenerator,
        at milliseconds: Int = 0
    ) -> Project {
        Project(
            id: ids.make(), workspaceID: workspaceID, name: name, visibility: visibility,
            createdAt: instant(milliseconds),
            updatedAt: instant(milliseconds))
    }

    /// A task owned by `ownerID`.
    public static func task(
        _ title: String, in workspaceID: WorkspaceID, project: ProjectID? = nil, parent: TaskID? = nil, owner: UserID,
        ids: some IDGenerator, at milliseconds: Int = 0
    ) -> TaskItem {
        TaskItem(
            id: ids.make(), workspaceID: workspaceID, projectID: project, parentID: parent, title: title,
            ownerID: owner,
            createdAt: instant(milliseconds), updatedAt: instant(milliseconds))
    }
}
