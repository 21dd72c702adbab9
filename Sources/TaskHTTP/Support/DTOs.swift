import Foundation
import TaskCore

/// A list page as the API writes it.
struct ListDTO<Item: Encodable>: Encodable {
    let data: [Item]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case data
        case nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

/// A user as the API shows it: never a password hash.
struct UserDTO: Encodable, Tagged {
    let id: String
    let email: String
    let name: String
    let is_admin: Bool
    let disabled: Bool
    let created_at: String
    let updated_at: String
    let version: Int

    init(_ user: User) {
        id = user.id.description
        email = user.email.value
        name = user.name
        is_admin = user.isAdmin
        disabled = user.isDisabled
        created_at = Timestamp.format(user.createdAt)
        updated_at = Timestamp.format(user.updatedAt)
        version = user.version
    }
}

/// A workspace with the caller's role in it.
struct WorkspaceDTO: Encodable, Tagged {
    let id: String
    let name: String
    let role: String
    let created_at: String
    let updated_at: String
    let version: Int

    init(_ membership: WorkspaceMembership) {
        id = membership.workspace.id.description
        name = membership.workspace.name
        role = membership.role.rawValue
        created_at = Timestamp.format(membership.workspace.createdAt)
        updated_at = Timestamp.format(membership.workspace.updatedAt)
        version = membership.workspace.version
    }
}

/// A workspace or project member.
struct MemberDTO: Encodable, Tagged {
    let user_id: String
    let email: String
    let name: String
    let role: String
    let joined_at: String
    let version: Int

    init(_ profile: MemberProfile) {
        user_id = profile.userID.description
        email = profile.email.value
        name = profile.name
        role = profile.role
        joined_at = Timestamp.format(profile.joinedAt)
        version = profile.version
    }
}

/// A project.
struct ProjectDTO: Encodable, Tagged {
    let id: String
    let workspace_id: String
    let name: String
    let description: String
    let visibility: String
    let archived: Bool
    let created_at: String
    let updated_at: String
    let version: Int

    init(_ project: Project) {
        id = project.id.description
        workspace_id = project.workspaceID.description
        name = project.name
        description = project.description
        visibility = project.visibility.rawValue
        archived = project.isArchived
        created_at = Timestamp.format(project.createdAt)
        updated_at = Timestamp.format(project.updatedAt)
        version = project.version
    }
}

/// A comment.
struct CommentDTO: Encodable, Tagged {
    let id: String
    let task_id: String
    let author_id: String
    let body: String
    let created_at: String
    let updated_at: String
    let edited: Bool
    let version: Int

    init(_ comment: Comment) {
        id = comment.id.description
        task_id = comment.taskID.description
        author_id = comment.authorID.description
        body = comment.body
        created_at = Timestamp.format(comment.createdAt)
        updated_at = Timestamp.format(comment.updatedAt)
        edited = comment.isEdited
        version = comment.version
    }
}

/// An activity event.
struct ActivityDTO: Encodable {
    let id: String
    let task_id: String
    let actor_id: String
    let kind: String
    let at: String
    let changes: ActivityChanges

    init(_ event: ActivityEvent) {
        id = event.id.description
        task_id = event.taskID?.description ?? ""
        actor_id = event.actorID.description
        kind = event.kind.rawValue
        at = Timestamp.format(event.at)
        changes = event.changes
    }
}

/// A login or refresh answer.
struct TokenDTO: Encodable {
    let access_token: String
    let token_type = "bearer"
    let expires_in: Int
    let refresh_token: String

    init(_ pair: TokenPair) {
        access_token = pair.accessToken
        expires_in = pair.expiresIn
        refresh_token = pair.refreshToken
    }
}

/// A resource body with a version, answered with an `ETag` made from it.
protocol Tagged: Encodable {
    /// The resource's version.
    var version: Int { get }
    /// The entity tag's opaque part, without quotes: the version (`7`), and for a workspace also the caller's role
    /// (`7-owner`), since the body shows it.
    var entityTag: String { get }
}

extension Tagged {
    var entityTag: String { "\(version)" }
}

extension WorkspaceDTO {
    var entityTag: String { "\(version)-\(role)" }
}
