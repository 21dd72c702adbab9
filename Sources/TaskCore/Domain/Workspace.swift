import Foundation

/// A workspace: the tenant that owns projects, tasks and members.
public struct Workspace: Sendable, Equatable, Codable {
    /// The workspace's id.
    public var id: WorkspaceID
    /// Its name (1...200 characters, trimmed).
    public var name: String
    /// When it was created.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date

    /// 1 when created, one more after each change that changes something; its `ETag` is made from it.
    public var version: Int

    /// Creates a workspace value.
    public init(id: WorkspaceID, name: String, createdAt: Date, updatedAt: Date, version: Int = 1) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

/// A workspace as one of its members sees it in a list: with the caller's role.
public struct WorkspaceMembership: Sendable, Equatable {
    /// The workspace.
    public var workspace: Workspace
    /// The caller's role in it.
    public var role: WorkspaceRole

    /// Creates a membership view.
    public init(workspace: Workspace, role: WorkspaceRole) {
        self.workspace = workspace
        self.role = role
    }
}

extension WorkspaceMembership {
    /// The tag of the workspace as this caller sees it: its version and the caller's role (`7-owner`), since the
    /// caller's view shows the role.
    public var versionTag: String { "\(workspace.version)-\(role.rawValue)" }
}
