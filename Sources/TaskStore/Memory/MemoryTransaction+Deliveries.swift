import Foundation
import TaskCore

extension MemoryState {
    /// Queues a delivery of `event` to every enabled webhook of its workspace that receives it.
    mutating func queueDeliveries(of event: ActivityEvent) {
        guard !webhooks.isEmpty else { return }
        for webhook in webhooks.values
        where webhook.workspaceID == event.workspaceID && webhook.isEnabled && webhook.receives(event) {
            let delivery = WebhookDelivery(
                id: DeliveryID(UUIDText.random()), webhookID: webhook.id, eventID: event.id, kind: event.kind.rawValue,
                nextAttemptAt: event.at, createdAt: event.at, updatedAt: event.at)
            queue(delivery, carrying: .event(event))
        }
    }

    mutating func queue(_ delivery: WebhookDelivery, carrying message: DeliveryMessage) {
        let order = deliveryQueue.append(delivery.id)
        deliveries[delivery.id] = MemoryDelivery(delivery: delivery, message: message, order: order)
    }
}

extension MemoryTransaction {
    func insertPing(_ delivery: WebhookDelivery, _ ping: WebhookPing) async throws {
        await write { state in state.queue(delivery, carrying: .ping(ping)) }
    }

    func claimDeliveries(now: Date, leaseUntil: Date, limit: Int) async throws -> [DeliveryAttempt] {
        await write { state in
            let deliveries = state.deliveries
            let webhooks = state.webhooks
            let ids = state.deliveryQueue.claim(now: now, until: leaseUntil, limit: limit) { id in
                guard let webhookID = deliveries[id]?.delivery.webhookID, let webhook = webhooks[webhookID] else {
                    return nil
                }
                return (webhookID, webhook.isEnabled)
            }
            let lease = UUIDText.random()
            return ids.compactMap { id -> DeliveryAttempt? in
                guard var stored = state.deliveries[id], let webhook = state.webhooks[stored.delivery.webhookID] else {
                    return nil
                }
                stored.lease = lease
                state.deliveries[id] = stored
                return DeliveryAttempt(
                    delivery: stored.delivery, lease: lease, webhook: webhook, message: stored.message)
            }
        }
    }

    func updateDelivery(_ delivery: WebhookDelivery) async throws {
        try await write { state in
            guard let stored = state.deliveries[delivery.id] else { throw DomainError.notFound(.delivery) }
            state.deliveries[delivery.id] = MemoryDelivery(
                delivery: delivery, message: stored.message, order: stored.order)
            if delivery.status == .pending, let due = delivery.nextAttemptAt {
                state.deliveryQueue.retry(delivery.id, order: stored.order, due: due)
            } else {
                state.deliveryQueue.remove(delivery.id, order: stored.order)
            }
        }
    }

    func updateClaimedDeliveries(_ updates: [(delivery: WebhookDelivery, lease: UUID)]) async throws {
        for (delivery, lease) in updates where try await lockDelivery(delivery.id, lease: lease) != nil {
            try await updateDelivery(delivery)
        }
    }

    func delivery(_ id: DeliveryID, of webhookID: WebhookID) async throws -> WebhookDelivery? {
        await read { state in
            state.deliveries[id].flatMap { $0.delivery.webhookID == webhookID ? $0.delivery : nil }
        }
    }

    func deliveries(of webhookID: WebhookID, before: PagePosition?, limit: Int) async throws -> [WebhookDelivery] {
        await read { state in
            MemoryPaging.newestFirst(
                state.deliveries.values.lazy.map(\.delivery).filter { $0.webhookID == webhookID }, before: before,
                limit: limit
            ) { PagePosition(value: .date($0.createdAt), id: $0.id.uuid) }
        }
    }

    func deleteDeliveries(before: Date, limit: Int) async throws -> Int {
        await write { state in
            let expired = state.deliveries.values.filter { $0.delivery.createdAt < before }
            for stored in expired {
                state.deliveries[stored.delivery.id] = nil
                state.deliveryQueue.remove(stored.delivery.id, order: stored.order)
            }
            return expired.count
        }
    }

    func deliveryCounts() async throws -> DeliveryCounts {
        await read { state in
            DeliveryCounts(
                pending: state.deliveryQueue.count,
                failed: state.deliveries.values.count { $0.delivery.status == .failed },
                disabledWebhooks: state.webhooks.values.count { !$0.isEnabled })
        }
    }
}
