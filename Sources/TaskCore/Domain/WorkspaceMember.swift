import Foundation

/// A user's membership of a workspace.
public struct WorkspaceMember: Sendable, Equatable, Codable {
    /// The workspace.
    public var workspaceID: WorkspaceID
    /// The member.
    public var userID: UserID
    /// The member's role.
    public var role: WorkspaceRole
    /// When the user joined.
    public var joinedAt: Date

    /// 1 when created, one more after each change that changes something; its `ETag` is made from it.
    public var version: Int

    /// Creates a membership.
    public init(workspaceID: WorkspaceID, userID: UserID, role: WorkspaceRole, joinedAt: Date, version: Int = 1) {
        self.workspaceID = workspaceID
        self.userID = userID
        self.role = role
        self.joinedAt = joinedAt
        self.version = version
    }
}

/// A member as a members list shows it: the membership with the user's email and name.
public struct MemberProfile: Sendable, Equatable, Codable {
    /// The member's user id.
    public var userID: UserID
    /// The member's email address.
    public var email: EmailAddress
    /// The member's name.
    public var name: String
    /// The member's role, as the raw value of `WorkspaceRole` or `ProjectRole`.
    public var role: String
    /// When the role was given; members lists are ordered by it.
    public var joinedAt: Date

    /// 1 when created, one more after each change that changes something; its `ETag` is made from it.
    public var version: Int

    /// Creates a profile.
    public init(userID: UserID, email: EmailAddress, name: String, role: String, joinedAt: Date, version: Int = 1) {
        self.userID = userID
        self.email = email
        self.name = name
        self.role = role
        self.joinedAt = joinedAt
        self.version = version
    }

    /// Where the member stands in a members list.
    public var position: PagePosition { PagePosition(value: .date(joinedAt), id: userID.uuid) }
}
