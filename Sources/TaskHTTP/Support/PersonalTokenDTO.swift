import Foundation
import TaskCore

/// A personal access token as the API shows it: never the token, except in the answer that makes it
/// (`PersonalTokenSecretDTO`).
struct PersonalTokenDTO: Encodable, Tagged {
    let id: String
    let name: String
    let prefix: String
    let scopes: [String]
    let workspace_ids: [String]?
    let created_at: String
    let expires_at: String
    let last_used_at: String?
    let version: Int

    init(_ token: PersonalAccessToken) {
        id = token.id.description
        name = token.name
        prefix = token.prefix
        scopes = token.scopes.sorted().map(\.rawValue)
        workspace_ids = token.workspaceIDs.map { $0.sorted().map(\.description) }
        created_at = Timestamp.format(token.createdAt)
        expires_at = Timestamp.format(token.expiresAt)
        last_used_at = token.lastUsedAt.map(Timestamp.format)
        version = token.version
    }

    var entityTag: String { "\(version)" }

    private enum CodingKeys: String, CodingKey {
        case id, name, prefix, scopes, workspace_ids, created_at, expires_at, last_used_at, version
    }

    /// Writes `workspace_ids` and `last_used_at` as `null` when absent.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(prefix, forKey: .prefix)
        try container.encode(scopes, forKey: .scopes)
        try container.encode(workspace_ids, forKey: .workspace_ids)
        try container.encode(created_at, forKey: .created_at)
        try container.encode(expires_at, forKey: .expires_at)
        try container.encode(last_used_at, forKey: .last_used_at)
        try container.encode(version, forKey: .version)
    }
}

/// A token with the token itself: the answer of its creation, the only place it is shown.
struct PersonalTokenSecretDTO: Encodable, Tagged {
    let record: PersonalTokenDTO
    let token: String

    init(_ issued: IssuedPersonalToken) {
        record = PersonalTokenDTO(issued.record)
        token = issued.token
    }

    var version: Int { record.version }
    var entityTag: String { record.entityTag }

    private enum CodingKeys: String, CodingKey { case token }

    func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(token, forKey: .token)
    }
}
