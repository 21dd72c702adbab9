import Foundation

/// An explicit role of a user in a project.
public struct ProjectMember: Sendable, Equatable, Codable {
    /// The project.
    public var projectID: ProjectID
    /// The project's workspace (every workspace-scoped row carries it).
    public var workspaceID: WorkspaceID
    /// The member.
    public var userID: UserID
    /// The explicit role.
    public var role: ProjectRole
    /// When the role was given.
    public var addedAt: Date

    /// 1 when created, one more after each change that changes something; its `ETag` is made from it.
    public var version: Int

    /// Creates a project membership.
    public init(
        projectID: ProjectID, workspaceID: WorkspaceID, userID: UserID, role: ProjectRole, addedAt: Date,
        version: Int = 1
    ) {
        self.projectID = projectID
        self.workspaceID = workspaceID
        self.userID = userID
        self.role = role
        self.addedAt = addedAt
        self.version = version
    }
}
