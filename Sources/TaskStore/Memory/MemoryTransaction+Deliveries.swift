import Foundation
import TaskCore

extension MemoryState {
    /// Queues a delivery of `event` to every enabled webhook of its workspace that receives it.
    mutating func queueDeliveries(of event: ActivityEvent) {
        guard !webhooks.isEmpty else { return }
        for webhook in webhooks.values
        where webhook.workspaceID == event.workspaceID && webhook.isEnabled && webhook.receives(event) {
            let delivery = WebhookDelivery(
                id: DeliveryID(UUID()), webhookID: webhook.id, eventID: event.id, kind: event.kind.rawValue,
                nextAttemptAt: event.at, createdAt: event.at, updatedAt: event.at)
            queue(delivery, carrying: .event(event))
        }
    }

    mutating func queue(_ delivery: WebhookDelivery, carrying message: DeliveryMessage) {
        deliveries[delivery.id] = MemoryDelivery(delivery: delivery, message: message, order: nextDeliveryOrder)
        pendingDeliveries[delivery.id] = nextDeliveryOrder
        nextDeliveryOrder += 1
    }
}

extension MemoryTransaction {
    func insertPing(_ delivery: WebhookDelivery, _ ping: WebhookPing) async throws {
        await write { state in state.queue(delivery, carrying: .ping(ping)) }
    }

    func claimDeliveries(now: Date, leaseUntil: Date, limit: Int) async throws -> [DeliveryAttempt] {
        await write { state in
            var due = FirstRows<MemoryDelivery>(limit: limit) { $0.order < $1.order }
            for id in state.pendingDeliveries.keys {
                guard let stored = state.deliveries[id], let dueAt = stored.delivery.nextAttemptAt, dueAt <= now,
                    stored.leaseUntil.map({ $0 <= now }) ?? true,
                    state.webhooks[stored.delivery.webhookID]?.isEnabled == true
                else { continue }
                due.offer(stored)
            }
            let lease = UUID()
            return due.rows.compactMap { stored -> DeliveryAttempt? in
                guard let webhook = state.webhooks[stored.delivery.webhookID] else { return nil }
                state.deliveries[stored.delivery.id]?.lease = lease
                state.deliveries[stored.delivery.id]?.leaseUntil = leaseUntil
                return DeliveryAttempt(
                    delivery: stored.delivery, lease: lease, webhook: webhook, message: stored.message)
            }
        }
    }

    func lockDelivery(_ id: DeliveryID, lease: UUID) async throws -> WebhookDelivery? {
        await read { state in state.deliveries[id].flatMap { $0.lease == lease ? $0.delivery : nil } }
    }

    func lockDelivery(_ id: DeliveryID, of webhookID: WebhookID) async throws -> WebhookDelivery? {
        try await delivery(id, of: webhookID)
    }

    func updateDelivery(_ delivery: WebhookDelivery) async throws {
        try await write { state in
            guard var stored = state.deliveries[delivery.id] else { throw DomainError.notFound(.delivery) }
            stored.delivery = delivery
            stored.lease = nil
            stored.leaseUntil = nil
            state.deliveries[delivery.id] = stored
            state.pendingDeliveries[delivery.id] = delivery.status == .pending ? stored.order : nil
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
            let expired = state.deliveries.values.filter { $0.delivery.createdAt < before }.map(\.delivery.id)
            for id in expired {
                state.deliveries[id] = nil
                state.pendingDeliveries[id] = nil
            }
            return expired.count
        }
    }

    func deliveryCounts() async throws -> DeliveryCounts {
        await read { state in
            DeliveryCounts(
                pending: state.pendingDeliveries.count,
                failed: state.deliveries.values.count { $0.delivery.status == .failed },
                disabledWebhooks: state.webhooks.values.count { !$0.isEnabled })
        }
    }
}
