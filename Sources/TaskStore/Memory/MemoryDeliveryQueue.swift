import Foundation
import HashTreeCollections
import TaskCore

/// The pending deliveries of the memory store, kept so that a claim costs in proportion to what it claims, not to
/// how many deliveries wait: first attempts in the order their events were appended, retries by when they are due,
/// deliveries of disabled webhooks set aside, and claimed ones until they are recorded or their claim runs out.
/// Persistent tries, like the rest of `MemoryState`: a transaction's snapshot costs nothing.
struct MemoryDeliveryQueue: Sendable {
    /// First attempts not yet claimed, by their order.
    private var firstAttempts: TreeDictionary<Int, DeliveryID> = [:]
    /// No first attempt is queued below this order.
    private var lowest = 1
    /// The order the next first attempt gets.
    private var nextOrder = 1
    /// Deliveries waiting for another attempt, and when it is due.
    private var retries: TreeDictionary<DeliveryID, Date> = [:]
    /// Deliveries of disabled webhooks, with their webhook; they come back when it is enabled.
    private var parked: TreeDictionary<DeliveryID, WebhookID> = [:]
    /// Claimed deliveries, and when their claim runs out.
    private var claimed: TreeDictionary<DeliveryID, Date> = [:]

    /// How many deliveries are pending.
    var count: Int { firstAttempts.count + retries.count + parked.count + claimed.count }

    /// Queues a first attempt; returns its order.
    mutating func append(_ id: DeliveryID) -> Int {
        defer { nextOrder += 1 }
        firstAttempts[nextOrder] = id
        return nextOrder
    }

    /// Queues another attempt, due at `due`, for a delivery wherever it stood.
    mutating func retry(_ id: DeliveryID, order: Int, due: Date) {
        remove(id, order: order)
        retries[id] = due
    }

    /// Takes a delivery out of the queue (it succeeded, failed or was deleted).
    mutating func remove(_ id: DeliveryID, order: Int) {
        if firstAttempts[order] == id { firstAttempts[order] = nil }
        retries[id] = nil
        parked[id] = nil
        claimed[id] = nil
    }

    /// Brings back the deliveries of a webhook that was enabled again, as retries due at once.
    mutating func unpark(_ webhookID: WebhookID, at now: Date) {
        for (id, owner) in parked where owner == webhookID {
            parked[id] = nil
            retries[id] = now
        }
    }

    /// Claims up to `limit` deliveries due at `now`: expired claims and due retries first, then first attempts in
    /// order. `webhookOf` names a delivery's webhook and whether it is enabled (`nil`: the delivery is gone).
    mutating func claim(
        now: Date, until: Date, limit: Int, webhookOf: (DeliveryID) -> (WebhookID, isEnabled: Bool)?
    ) -> [DeliveryID] {
        var taken: [DeliveryID] = []
        func take(_ id: DeliveryID) -> Bool {
            guard let (webhook, isEnabled) = webhookOf(id) else { return false }
            guard isEnabled else {
                parked[id] = webhook
                return false
            }
            claimed[id] = until
            taken.append(id)
            return true
        }
        for (id, end) in claimed where end <= now && taken.count < limit {
            claimed[id] = nil
            _ = take(id)
        }
        for (id, due) in retries where due <= now && taken.count < limit {
            retries[id] = nil
            _ = take(id)
        }
        while taken.count < limit, lowest < nextOrder {
            if let id = firstAttempts.removeValue(forKey: lowest) { _ = take(id) }
            lowest += 1
        }
        return taken
    }
}
