import Foundation

/// A project inside a workspace.
public struct Project: Sendable, Equatable, Codable {
    /// The project's id.
    public var id: ProjectID
    /// The workspace it belongs to.
    public var workspaceID: WorkspaceID
    /// Its name (1...200 characters, trimmed).
    public var name: String
    /// Its description (at most 65,536 characters; empty when none).
    public var description: String
    /// Who sees it: every non-guest workspace member, or only its members.
    public var visibility: ProjectVisibility
    /// An archived project is read-only.
    public var isArchived: Bool
    /// When it was created.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date

    /// 1 when created, one more after each change that changes something; its `ETag` is made from it.
    public var version: Int

    /// Creates a project value.
    public init(
        id: ProjectID, workspaceID: WorkspaceID, name: String, description: String = "",
        visibility: ProjectVisibility = .workspace, isArchived: Bool = false, createdAt: Date, updatedAt: Date,
        version: Int = 1
    ) {
        self.id = id
        self.workspaceID = workspaceID
        self.name = name
        self.description = description
        self.visibility = visibility
        self.isArchived = isArchived
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

/// Who can see a project.
public enum ProjectVisibility: String, Sendable, Codable, CaseIterable {
    /// Every workspace member that is not a guest, as `editor` unless given another role.
    case workspace
    /// Only the project's members (and the workspace's owners and admins).
    case `private`
}
