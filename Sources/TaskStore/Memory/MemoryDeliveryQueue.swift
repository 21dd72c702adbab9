import Foundation
import HashTreeCollections
import TaskCore

/// The pending deliveries of the memory store, kept so that queueing one inside a write's turn costs little and a
/// claim costs in proportion to what it claims, not to how many deliveries wait.
///
/// A new delivery waits for its first attempt in `fresh`, a log appended in place in the order its event was
/// appended: queueing it copies no path of a trie (as an insert into the store's table of deliveries would, inside
/// the turn every write waits for). It enters the table when it is claimed, or when it is changed before that (a
/// redelivery, its webhook disabled); one that leaves `fresh` so, or whose webhook is deleted, is noted in
/// `leftFresh` until the queue passes it.
/// Retries wait by when they are due, deliveries of disabled webhooks are set aside, and claimed ones are kept
/// until they are recorded or their claim runs out. Persistent, like the rest of `MemoryState`: a transaction's
/// snapshot costs nothing.
struct MemoryDeliveryQueue: Sendable {
    /// New deliveries, in the order first attempts go out in.
    private var fresh = ChunkedLog<MemoryDelivery>()
    /// No delivery below this position of `fresh` waits there any more.
    private var lowest = 0
    /// The deliveries from `lowest` on in `fresh` that no longer wait there.
    private var leftFresh: TreeSet<DeliveryID> = []
    /// Deliveries waiting for another attempt, and when it is due.
    private var retries: TreeDictionary<DeliveryID, Date> = [:]
    /// Deliveries of disabled webhooks, with their webhook; they come back when it is enabled.
    private var parked: TreeDictionary<DeliveryID, WebhookID> = [:]
    /// Claimed deliveries, and when their claim runs out.
    private var claimed: TreeDictionary<DeliveryID, Date> = [:]

    /// How many deliveries are pending: waiting for their first attempt or a retry, set aside or claimed.
    var count: Int { fresh.endIndex - lowest - leftFresh.count + retries.count + parked.count + claimed.count }

    /// The deliveries waiting in `fresh` for their first attempt, in order.
    var waitingFresh: some Sequence<MemoryDelivery> {
        let left = leftFresh
        return fresh[lowest..<fresh.endIndex].lazy.filter { !left.contains($0.delivery.id) }
    }

    /// Notes that a delivery waiting in `fresh` waits there no more: it moved to the table, or its webhook is gone.
    mutating func leaveFresh(_ id: DeliveryID) {
        leftFresh.insert(id)
    }

    /// Queues a new delivery's first attempt.
    mutating func append(_ delivery: MemoryDelivery) {
        fresh.append(delivery)
    }

    /// Takes out of `fresh`, oldest first, the deliveries `isDropped` picks, up to the first it does not (so a
    /// delivery expires in order, as it was queued); returns how many were still waiting there.
    mutating func dropFresh(while isDropped: (MemoryDelivery) -> Bool) -> Int {
        var dropped = 0
        while lowest < fresh.endIndex, isDropped(fresh[lowest]) {
            let id = fresh[lowest].delivery.id
            lowest += 1
            if leftFresh.remove(id) == nil { dropped += 1 }
        }
        fresh.removeChunks(below: lowest)
        return dropped
    }

    /// Queues another attempt, due at `due`, for a delivery in the table wherever it stood.
    mutating func retry(_ id: DeliveryID, due: Date) {
        remove(id)
        retries[id] = due
    }

    /// Sets aside a delivery in the table whose webhook is disabled.
    mutating func park(_ id: DeliveryID, of webhookID: WebhookID) {
        remove(id)
        parked[id] = webhookID
    }

    /// Takes a delivery in the table out of the queue (it succeeded, failed or was deleted).
    mutating func remove(_ id: DeliveryID) {
        if retries[id] != nil { retries[id] = nil }
        if parked[id] != nil { parked[id] = nil }
        if claimed[id] != nil { claimed[id] = nil }
    }

    /// Brings back the deliveries of a webhook that was enabled again, as retries due at once.
    mutating func unpark(_ webhookID: WebhookID, at now: Date) {
        for (id, owner) in parked where owner == webhookID {
            parked[id] = nil
            retries[id] = now
        }
    }

    /// What `claim` took.
    struct Claim {
        /// Deliveries of the table, by id, in the order they were taken.
        var inTable: [DeliveryID] = []
        /// Fresh deliveries, taken after those of the table: the caller puts them in the table.
        var fresh: [MemoryDelivery] = []
        /// Fresh deliveries of disabled webhooks, set aside: the caller puts them in the table too.
        var parkedFresh: [MemoryDelivery] = []
    }

    /// Claims until `until` up to `limit` deliveries due at `now`: expired claims and due retries first, then fresh
    /// deliveries in order. `inTable` reads the table of deliveries; `isEnabled` tells whether a webhook is enabled
    /// (`nil`: it is gone, and so are its deliveries).
    mutating func claim(
        now: Date, until: Date, limit: Int, inTable: (DeliveryID) -> MemoryDelivery?, isEnabled: (WebhookID) -> Bool?
    ) -> Claim {
        var claim = Claim()
        var taken = 0
        func take(_ stored: MemoryDelivery, isFresh: Bool) {
            let id = stored.delivery.id
            let webhookID = stored.delivery.webhookID
            guard let enabled = isEnabled(webhookID) else { return }
            guard enabled else {
                parked[id] = webhookID
                if isFresh { claim.parkedFresh.append(stored) }
                return
            }
            claimed[id] = until
            if isFresh { claim.fresh.append(stored) } else { claim.inTable.append(id) }
            taken += 1
        }
        for (id, end) in claimed where end <= now && taken < limit {
            claimed[id] = nil
            if let stored = inTable(id) { take(stored, isFresh: false) }
        }
        for (id, due) in retries where due <= now && taken < limit {
            retries[id] = nil
            if let stored = inTable(id) { take(stored, isFresh: false) }
        }
        while taken < limit, lowest < fresh.endIndex {
            let stored = fresh[lowest]
            lowest += 1
            // Left before its claim (it waits in the table, or its webhook is gone): passed.
            if leftFresh.remove(stored.delivery.id) == nil { take(stored, isFresh: true) }
        }
        fresh.removeChunks(below: lowest)
        return claim
    }
}
