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

    /// Queues a new delivery for its first attempt (see `MemoryDeliveryQueue`: it enters the table when claimed).
    mutating func queue(_ delivery: WebhookDelivery, carrying message: DeliveryMessage) {
        deliveryQueue.append(MemoryDelivery(delivery: delivery, message: message))
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
            let claim = state.deliveryQueue.claim(
                now: now, until: leaseUntil, limit: limit, inTable: { deliveries[$0] },
                isEnabled: { webhooks[$0]?.isEnabled })
            for var stored in claim.parkedFresh {
                // Parked while disabled: pending, with no next attempt.
                stored.delivery.nextAttemptAt = nil
                state.deliveries[stored.delivery.id] = stored
            }
            let lease = UUIDText.random()
            return (claim.inTable.compactMap { deliveries[$0] } + claim.fresh).compactMap {
                stored -> DeliveryAttempt? in
                guard let webhook = webhooks[stored.delivery.webhookID] else { return nil }
                var leased = stored
                leased.lease = lease
                state.deliveries[stored.delivery.id] = leased
                return DeliveryAttempt(
                    delivery: leased.delivery, lease: lease, webhook: webhook, message: leased.message)
            }
        }
    }

    func updateDelivery(_ delivery: WebhookDelivery) async throws {
        try await write { state in
            // A worker's outcome is of a claimed delivery, which is in the table; one waiting for its first attempt
            // (a redelivery before it) moves there.
            if let stored = state.deliveries[delivery.id] {
                state.deliveries[delivery.id] = MemoryDelivery(delivery: delivery, message: stored.message)
            } else if let fresh = state.delivery(delivery.id) {
                state.moveAhead(MemoryDelivery(delivery: delivery, message: fresh.message))
            } else {
                throw DomainError.notFound(.delivery)
            }
            if delivery.status == .pending, let due = delivery.nextAttemptAt {
                state.deliveryQueue.retry(delivery.id, due: due)
            } else {
                state.deliveryQueue.remove(delivery.id)
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
            state.delivery(id).flatMap { $0.delivery.webhookID == webhookID ? $0.delivery : nil }
        }
    }

    func deliveries(of webhookID: WebhookID, before: PagePosition?, limit: Int) async throws -> [WebhookDelivery] {
        await read { state in
            MemoryPaging.newestFirst(
                state.allDeliveries.lazy.map(\.delivery).filter { $0.webhookID == webhookID }, before: before,
                limit: limit
            ) { PagePosition(value: .date($0.createdAt), id: $0.id.uuid) }
        }
    }

    func deleteDeliveries(before: Date, limit: Int) async throws -> Int {
        await write { state in
            let expired = state.deliveries.values.filter { $0.delivery.createdAt < before }
            for stored in expired {
                state.deliveries[stored.delivery.id] = nil
                state.deliveryQueue.remove(stored.delivery.id)
            }
            // Fresh ones expire oldest first.
            return expired.count + state.deliveryQueue.dropFresh { $0.delivery.createdAt < before }
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
