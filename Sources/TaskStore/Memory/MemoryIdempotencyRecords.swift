import DequeModule
import Foundation
import TaskCore

/// The memory store's idempotency records, kept beside its snapshotted state rather than in it.
///
/// Every changing transaction snapshots `MemoryState`, so a record written there would copy a path of the table's
/// trie inside the writer's turn and free the old path when the next commit drops the snapshot: for a keyed
/// `POST`, as much work again as its change. Here the committed records are one table changed in place, and the
/// transaction that holds the turn writes beside it: what it records is `added` until it commits (or is dropped
/// when it rolls back), and what it deletes is deleted at its commit. Other transactions read only committed
/// records, as under READ COMMITTED; the holder reads its own changes too.
struct MemoryIdempotencyRecords: Sendable {
    /// A record with the place it was made in.
    private struct Entry: Sendable {
        let record: IdempotencyRecord
        /// Counts up with each record made: the order records are deleted in.
        let sequence: Int
    }

    private var committed: [IdempotencyRecordKey: Entry] = [:]
    /// The committed keys in the order their records were made.
    private var madeOrder: Deque<IdempotencyRecordKey> = []
    private var nextSequence = 0
    /// The records the transaction holding the turn made, in the order it made them.
    private var added: [IdempotencyRecordKey: IdempotencyRecord] = [:]
    private var addedOrder: [IdempotencyRecordKey] = []
    /// How many of `madeOrder`'s first keys the holder deleted; they go when it commits.
    private var deletedCount = 0

    /// How many committed records there are.
    var count: Int { committed.count }

    /// The record under `key` as the holder of the turn sees it (`asHolder`) or as every other transaction does.
    func record(_ key: IdempotencyRecordKey, asHolder: Bool) -> IdempotencyRecord? {
        guard asHolder else { return committed[key]?.record }
        if let record = added[key] { return record }
        guard let entry = committed[key], !isDeleted(entry) else { return nil }
        return entry.record
    }

    /// Records `record` under `key` for the holder of the turn, unless the key has a record; returns whether it did.
    mutating func add(_ record: IdempotencyRecord, for key: IdempotencyRecordKey) -> Bool {
        guard self.record(key, asHolder: true) == nil else { return false }
        added[key] = record
        addedOrder.append(key)
        return true
    }

    /// Deletes, for the holder of the turn, up to `limit` of the committed records made before `before`, oldest
    /// first, stopping at the first that is newer (so a record is never deleted early, though one made after a
    /// clock step back may be kept until the records made before it go); returns how many.
    mutating func delete(before: Date, limit: Int) -> Int {
        var deleted = 0
        while deleted < limit, deletedCount < madeOrder.count,
            let entry = committed[madeOrder[deletedCount]], entry.record.createdAt < before
        {
            deletedCount += 1
            deleted += 1
        }
        return deleted
    }

    /// Makes the holder's changes everyone's.
    mutating func commit() {
        for _ in 0..<deletedCount {
            if let key = madeOrder.popFirst() { committed[key] = nil }
        }
        for key in addedOrder {
            guard let record = added[key] else { continue }
            committed[key] = Entry(record: record, sequence: nextSequence)
            madeOrder.append(key)
            nextSequence += 1
        }
        rollBack()
    }

    /// Drops the holder's changes.
    mutating func rollBack() {
        if !added.isEmpty {
            // Kept for the next keyed transaction, which would allocate them again inside its turn.
            added.removeAll(keepingCapacity: true)
            addedOrder.removeAll(keepingCapacity: true)
        }
        deletedCount = 0
    }

    /// Whether the holder deleted `entry`: it is among the first `deletedCount` records made.
    private func isDeleted(_ entry: Entry) -> Bool {
        guard deletedCount > 0, let first = madeOrder.first, let firstEntry = committed[first] else { return false }
        return entry.sequence < firstEntry.sequence + deletedCount
    }
}

/// Whose key an idempotency record is.
struct IdempotencyRecordKey: Hashable, Sendable {
    var userID: UserID
    var key: String
}

/// A recorded answer under an idempotency key, and when it was made. A class: a record is never changed, and is
/// made outside the writer's turn and only handed to the table inside it.
final class IdempotencyRecord: Sendable {
    let stored: StoredIdempotentAnswer
    let createdAt: Date

    init(stored: StoredIdempotentAnswer, createdAt: Date) {
        self.stored = stored
        self.createdAt = createdAt
    }
}
