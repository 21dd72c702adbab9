import Foundation

/// Webhooks, inside a transaction.
public protocol WebhookStore: Sendable {
    /// Stores a new webhook.
    func insertWebhook(_ webhook: Webhook) async throws
    /// A webhook of a workspace, if it exists.
    func webhook(_ id: WebhookID, in workspaceID: WorkspaceID) async throws -> Webhook?
    /// Like `webhook`, locking the row for a change until the transaction ends.
    func lockWebhook(_ id: WebhookID, in workspaceID: WorkspaceID) async throws -> Webhook?
    /// Replaces a webhook. - Throws: `.notFound(.webhook)` when it is gone.
    func updateWebhook(_ webhook: Webhook) async throws
    /// Deletes a webhook.
    func deleteWebhook(_ id: WebhookID) async throws
    /// A workspace's webhooks, oldest first, strictly after `after` (`created_at`, `id`), at most `limit`.
    func webhooks(in workspaceID: WorkspaceID, after: PagePosition?, limit: Int) async throws -> [Webhook]
}
