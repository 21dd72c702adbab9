import Foundation
import PostgresNIO
import TaskCore

extension PostgresTransaction {
    func insertWebhook(_ webhook: Webhook) async throws {
        try await execute(
            """
            INSERT INTO webhooks (id, workspace_id, url, events, project_id, description, enabled, disabled_reason,
                secret, previous_secret, previous_secret_expires_at, created_at, updated_at, version, failing_since)
            VALUES (\(webhook.id.uuid), \(webhook.workspaceID.uuid), \(webhook.url), \(webhook.events.names),
                \(webhook.projectID?.uuid), \(webhook.description), \(webhook.isEnabled), \(webhook.disabledReason),
                \(webhook.secret), \(webhook.previousSecret), \(webhook.previousSecretExpiresAt?.bound),
                \(webhook.createdAt.bound), \(webhook.updatedAt.bound), \(Int32(clamping: webhook.version)),
                \(webhook.failingSince?.bound))
            """)
    }

    func webhook(_ id: WebhookID, in workspaceID: WorkspaceID) async throws -> Webhook? {
        try await rows(
            """
            SELECT \(unescaped: PostgresRows.webhookColumns) FROM webhooks
            WHERE id = \(id.uuid) AND workspace_id = \(workspaceID.uuid)
            """, PostgresRows.webhook
        ).first
    }

    /// `FOR NO KEY UPDATE`: the key never changes, and a lock that leaves key-share lockers alone is the least a
    /// change needs.
    func lockWebhook(_ id: WebhookID, in workspaceID: WorkspaceID) async throws -> Webhook? {
        try await lockedRows(
            """
            SELECT \(unescaped: PostgresRows.webhookColumns) FROM webhooks
            WHERE id = \(id.uuid) AND workspace_id = \(workspaceID.uuid) FOR NO KEY UPDATE
            """, PostgresRows.webhook
        ).first
    }

    /// Parks the webhook's pending deliveries when it is disabled and brings them back when it is enabled again
    /// (`parkDeliveries`), only when `enabled` changes.
    func updateWebhook(_ webhook: Webhook) async throws {
        // `old` reads the row as it was before this statement: whether `enabled` changes, in the same round trip.
        try await beginIfNeeded()
        let wasEnabled = try await rows(
            """
            WITH old AS (SELECT enabled FROM webhooks WHERE id = \(webhook.id.uuid))
            UPDATE webhooks SET url = \(webhook.url), events = \(webhook.events.names),
                project_id = \(webhook.projectID?.uuid), description = \(webhook.description),
                enabled = \(webhook.isEnabled), disabled_reason = \(webhook.disabledReason), secret = \(webhook.secret),
                previous_secret = \(webhook.previousSecret),
                previous_secret_expires_at = \(webhook.previousSecretExpiresAt?.bound),
                updated_at = \(webhook.updatedAt.bound), version = \(Int32(clamping: webhook.version)),
                failing_since = \(webhook.failingSince?.bound)
            WHERE id = \(webhook.id.uuid)
            RETURNING (SELECT enabled FROM old)
            """
        ) { row in try row.decode(Bool.self) }.first
        guard let wasEnabled else { throw DomainError.notFound(.webhook) }
        if wasEnabled != webhook.isEnabled {
            try await parkDeliveries(of: webhook.id, enabled: webhook.isEnabled, at: webhook.updatedAt)
        }
    }

    func deleteWebhook(_ id: WebhookID) async throws {
        try await execute("DELETE FROM webhooks WHERE id = \(id.uuid)")
    }

    func webhooks(in workspaceID: WorkspaceID, after: PagePosition?, limit: Int) async throws -> [Webhook] {
        var builder = SQLBuilder("SELECT \(PostgresRows.webhookColumns) FROM webhooks")
        builder.append(" WHERE workspace_id = \(builder.bind(workspaceID.uuid))")
        builder.appendAfter(after, dateColumn: "created_at", idColumn: "id")
        builder.append(" ORDER BY created_at, id LIMIT \(builder.bind(limit))")
        return try await rows(builder.query, PostgresRows.webhook)
    }
}

extension PostgresRows {
    static let webhookColumns = """
        id, workspace_id, url, events, project_id, description, enabled, disabled_reason, secret, previous_secret,
        previous_secret_expires_at, created_at, updated_at, version, failing_since
        """

    static func webhook(_ row: PostgresRow) throws -> Webhook {
        let (id, workspaceID, url, events, projectID, description, enabled, disabledReason, secret) = try row.decode(
            (UUID, UUID, String, [String], UUID?, String, Bool, String?, String).self)
        let cells = row.makeRandomAccess()
        let previousSecret = try cells[9].decode(String?.self)
        let previousExpiry = try cells[10].decode(Date?.self)
        let created = try cells[11].decode(Date.self)
        let updated = try cells[12].decode(Date.self)
        let version = try cells[13].decode(Int32.self)
        let failingSince = try cells[14].decode(Date?.self)
        return Webhook(
            id: WebhookID(id), workspaceID: WorkspaceID(workspaceID), url: url,
            // A kind this version does not know (written by a newer one) is left out, never widened to all.
            events: events == ["*"] ? .all : .kinds(Set(events.compactMap(ActivityEventKind.init(rawValue:)))),
            projectID: projectID.map(ProjectID.init),
            description: description, isEnabled: enabled, disabledReason: disabledReason, secret: secret,
            previousSecret: previousSecret, previousSecretExpiresAt: previousExpiry?.truncatedToMilliseconds,
            failingSince: failingSince?.truncatedToMilliseconds,
            createdAt: created.truncatedToMilliseconds, updatedAt: updated.truncatedToMilliseconds,
            version: Int(version))
    }
}
