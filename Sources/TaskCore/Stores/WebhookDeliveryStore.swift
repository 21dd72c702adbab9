import Foundation

/// Webhook deliveries, inside a transaction.
///
/// A store queues a delivery for every enabled webhook that receives an event in the transaction that appends the
/// event (`ActivityStore.appendEvents`), so a committed event is never without its deliveries, and a rolled-back
/// one has none.
public protocol WebhookDeliveryStore: Sendable {
    /// Queues a ping to a webhook, due at once.
    func insertPing(_ delivery: WebhookDelivery, _ ping: WebhookPing) async throws
    /// Claims up to `limit` deliveries that are `pending`, due at `now`, not claimed by another attempt (or
    /// whose claim ran out) and whose webhook is enabled, first attempts in feed order; each stays claimed until
    /// `leaseUntil`. Deliveries that another transaction has claimed and not yet committed are skipped, not
    /// waited for.
    func claimDeliveries(now: Date, leaseUntil: Date, limit: Int) async throws -> [DeliveryAttempt]
    /// A delivery still claimed by `lease`, locked for recording its attempt; `nil` when it is gone or was claimed
    /// again since.
    func lockDelivery(_ id: DeliveryID, lease: UUID) async throws -> WebhookDelivery?
    /// A webhook's delivery, locked for a change until the transaction ends.
    func lockDelivery(_ id: DeliveryID, of webhookID: WebhookID) async throws -> WebhookDelivery?
    /// Replaces a delivery and ends its claim. - Throws: `.notFound(.delivery)` when it is gone.
    func updateDelivery(_ delivery: WebhookDelivery) async throws
    /// Replaces each delivery that is still claimed by its lease and ends its claim; one whose claim was taken
    /// over since is left alone. One statement for them all.
    func updateClaimedDeliveries(_ updates: [(delivery: WebhookDelivery, lease: UUID)]) async throws
    /// A webhook's delivery, if it exists.
    func delivery(_ id: DeliveryID, of webhookID: WebhookID) async throws -> WebhookDelivery?
    /// A webhook's deliveries, newest first, strictly before `before` (`created_at`, `id`), at most `limit`.
    func deliveries(of webhookID: WebhookID, before: PagePosition?, limit: Int) async throws -> [WebhookDelivery]
    /// `deliveries(of:before:limit:)` of the webhook `webhookID` of `workspaceID`; `nil` when the workspace has no
    /// such webhook (one statement on PostgreSQL).
    func deliveries(of webhookID: WebhookID, in workspaceID: WorkspaceID, before: PagePosition?, limit: Int)
        async throws -> [WebhookDelivery]?
    /// Deletes up to `limit` of the deliveries created before `before`, oldest first; returns how many.
    func deleteDeliveries(before: Date, limit: Int) async throws -> Int
    /// How many deliveries are pending and failed, and how many webhooks are disabled, across the store.
    func deliveryCounts() async throws -> DeliveryCounts
}

/// The figures an operator watches deliveries by.
public struct DeliveryCounts: Sendable, Equatable {
    /// Deliveries waiting for an attempt.
    public var pending: Int
    /// Deliveries that failed and are still kept.
    public var failed: Int
    /// Webhooks that are disabled.
    public var disabledWebhooks: Int

    /// Creates the figures.
    public init(pending: Int, failed: Int, disabledWebhooks: Int) {
        self.pending = pending
        self.failed = failed
        self.disabledWebhooks = disabledWebhooks
    }
}

extension StoreTransaction {
    /// Reads the webhook, then its deliveries.
    public func deliveries(of webhookID: WebhookID, in workspaceID: WorkspaceID, before: PagePosition?, limit: Int)
        async throws -> [WebhookDelivery]?
    {
        guard try await webhook(webhookID, in: workspaceID) != nil else { return nil }
        return try await deliveries(of: webhookID, before: before, limit: limit)
    }
}
