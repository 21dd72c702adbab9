import Foundation
import TaskCore

/// A webhook as the API shows it: never its secret, except in the answers that make one (`WebhookSecretDTO`).
struct WebhookDTO: Encodable, Tagged {
    let id: String
    let workspace_id: String
    let url: String
    let events: [String]
    let project_id: String?
    let description: String
    let enabled: Bool
    let disabled_reason: String?
    let created_at: String
    let updated_at: String
    let version: Int

    init(_ webhook: Webhook) {
        id = webhook.id.description
        workspace_id = webhook.workspaceID.description
        url = webhook.url
        events = webhook.events.names
        project_id = webhook.projectID?.description
        description = webhook.description
        enabled = webhook.isEnabled
        disabled_reason = webhook.disabledReason
        created_at = Timestamp.format(webhook.createdAt)
        updated_at = Timestamp.format(webhook.updatedAt)
        version = webhook.version
    }

    var entityTag: String { "\(version)" }

    private enum CodingKeys: String, CodingKey {
        case id, workspace_id, url, events, project_id, description, enabled, disabled_reason, created_at, updated_at
        case version
    }

    /// Writes `project_id` and `disabled_reason` as `null` when absent.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(workspace_id, forKey: .workspace_id)
        try container.encode(url, forKey: .url)
        try container.encode(events, forKey: .events)
        try container.encode(project_id, forKey: .project_id)
        try container.encode(description, forKey: .description)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(disabled_reason, forKey: .disabled_reason)
        try container.encode(created_at, forKey: .created_at)
        try container.encode(updated_at, forKey: .updated_at)
        try container.encode(version, forKey: .version)
    }
}

/// A webhook with its secret: the answer of its creation and of a rotation, the only places the secret is shown.
struct WebhookSecretDTO: Encodable, Tagged {
    let webhook: WebhookDTO
    let secret: String

    init(_ webhook: Webhook) {
        self.webhook = WebhookDTO(webhook)
        secret = webhook.secret
    }

    var version: Int { webhook.version }
    var entityTag: String { webhook.entityTag }

    private enum CodingKeys: String, CodingKey { case secret }

    func encode(to encoder: any Encoder) throws {
        try webhook.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(secret, forKey: .secret)
    }
}
