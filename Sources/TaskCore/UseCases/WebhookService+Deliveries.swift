import Foundation

extension WebhookService {
    /// Queues a `webhook_ping` to an enabled webhook, due at once; it is in no feed.
    /// - Throws: `.notFound(.webhook)`, `.forbidden`, `.conflict(.webhookDisabled)`.
    public func ping(_ claim: some CallerClaim, in workspaceID: WorkspaceID, id: WebhookID) async throws
        -> WebhookDelivery
    {
        let at = now()
        let pingID: ActivityID = ids.make()
        let deliveryID: DeliveryID = ids.make()
        let delivery = try await store.transaction { tx in
            let caller = try await Self.authorize(claim, workspaceID, tx)
            guard let webhook = try await tx.webhook(id, in: workspaceID) else { throw DomainError.notFound(.webhook) }
            guard webhook.isEnabled else { throw DomainError.conflict(.webhookDisabled) }
            let ping = WebhookPing(id: pingID, workspaceID: workspaceID, actorID: caller.id, at: at)
            let delivery = WebhookDelivery(
                id: deliveryID, webhookID: id, eventID: ping.id, kind: WebhookDelivery.pingKind, nextAttemptAt: at,
                createdAt: at, updatedAt: at)
            try await tx.insertPing(delivery, ping)
            return delivery
        }
        attemptsDue.notify()
        return delivery
    }

    /// A webhook's deliveries, newest first.
    public func deliveries(_ claim: some CallerClaim, in workspaceID: WorkspaceID, of id: WebhookID, page: PageRequest)
        async throws -> Page<WebhookDelivery>
    {
        let before = try PageCursor.position(from: page.cursor, ordering: Self.deliveryOrdering)
        let rows = try await store.transaction { tx in
            try await Self.authorize(claim, workspaceID, tx)
            guard let page = try await tx.deliveries(of: id, in: workspaceID, before: before, limit: page.limit + 1)
            else { throw DomainError.notFound(.webhook) }
            return page
        }
        return Page.from(rows: rows, limit: page.limit, ordering: Self.deliveryOrdering) {
            PagePosition(value: .date($0.createdAt), id: $0.id.uuid)
        }
    }

    /// One delivery of a webhook. - Throws: `.notFound(.webhook)`, `.notFound(.delivery)`.
    public func delivery(
        _ claim: some CallerClaim, in workspaceID: WorkspaceID, of id: WebhookID, delivery deliveryID: DeliveryID
    )
        async throws -> WebhookDelivery
    {
        try await store.transaction { tx in
            try await Self.authorize(claim, workspaceID, tx)
            guard try await tx.webhook(id, in: workspaceID) != nil else { throw DomainError.notFound(.webhook) }
            guard let delivery = try await tx.delivery(deliveryID, of: id) else {
                throw DomainError.notFound(.delivery)
            }
            return delivery
        }
    }

    /// Makes a delivery `pending` and due at once, whatever its status: one new attempt, after which a failure
    /// retries on what is left of the schedule (nothing, for a delivery whose retries ran out).
    /// - Throws: `.notFound(.webhook)`, `.notFound(.delivery)`, `.forbidden`, `.conflict(.webhookDisabled)`.
    public func redeliver(
        _ claim: some CallerClaim, in workspaceID: WorkspaceID, of id: WebhookID, delivery deliveryID: DeliveryID
    ) async throws -> WebhookDelivery {
        let at = now()
        let delivery = try await store.transaction { tx in
            try await Self.authorize(claim, workspaceID, tx)
            guard let webhook = try await tx.webhook(id, in: workspaceID) else { throw DomainError.notFound(.webhook) }
            guard var delivery = try await tx.lockDelivery(deliveryID, of: id) else {
                throw DomainError.notFound(.delivery)
            }
            guard webhook.isEnabled else { throw DomainError.conflict(.webhookDisabled) }
            delivery.status = .pending
            delivery.nextAttemptAt = at
            delivery.updatedAt = at
            try await tx.updateDelivery(delivery)
            return delivery
        }
        attemptsDue.notify()
        return delivery
    }

    /// How long deliveries are kept.
    public static let deliveryRetention: TimeInterval = 30 * 24 * 60 * 60

    /// Deletes the deliveries older than `deliveryRetention`, in batches.
    public func removeExpiredDeliveries() async throws {
        let before = now().addingTimeInterval(-Self.deliveryRetention)
        try await BatchedDeletion.run {
            try await store.transaction { tx in
                try await tx.deleteDeliveries(before: before, limit: BatchedDeletion.batchSize)
            }
        }
    }

    /// The figures an operator watches deliveries by.
    public func deliveryCounts() async throws -> DeliveryCounts {
        try await store.transaction { tx in try await tx.deliveryCounts() }
    }

    static let deliveryOrdering = "deliveries"
}
