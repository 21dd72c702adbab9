import TaskCore

/// One feed's events in append order, kept so that appending after a snapshot copies nothing but the event.
///
/// The events sit in chunks of fixed capacity that copies of the log share. A log knows how many events it holds
/// (`count`); the chunks hold that many and perhaps more, appended by a copy of the log that went on from the same
/// point. A copy at the end of its last chunk's written events appends in place; one that is not (another copy
/// appended first: a rolled-back transaction's state, a snapshot) copies its part of that chunk first. So a
/// snapshot never sees an event appended after it, and the committed state and the one changing after it share
/// every chunk. Only the store's writer (the holder of its turn) appends; readers read only events below their own
/// copy's `count`, which the commit that published it made visible to them.
struct MemoryEventLog: Sendable {
    private var chunks: [Chunk] = []
    /// How many events this log holds.
    private(set) var count = 0
    static let chunkSize = 256
    /// The first chunk's first capacity: a feed with few events takes little memory.
    static let firstCapacity = 16

    /// Appends an event; its sequence is larger than every one before it.
    mutating func append(_ event: SequencedEvent) {
        let offset = count % Self.chunkSize
        if offset == 0 && count / Self.chunkSize == chunks.count {
            chunks.append(Chunk(capacity: chunks.isEmpty ? Self.firstCapacity : Self.chunkSize))
        } else {
            let last = chunks.count - 1
            if chunks[last].written != offset || chunks[last].capacity == offset {
                // Another copy appended to this chunk first, or it is full below the chunk size: a chunk of this
                // copy's own, with room.
                let capacity =
                    last == 0 ? Swift.min(Swift.max(2 * offset, Self.firstCapacity), Self.chunkSize) : Self.chunkSize
                chunks[last] = chunks[last].copy(first: offset, capacity: capacity)
            }
        }
        chunks[chunks.count - 1].append(event)
        count += 1
    }

    /// Up to `limit` events after sequence `after` for which `include` holds, in order.
    func events(after: Int, limit: Int, where include: (ActivityEvent) -> Bool) -> [SequencedEvent] {
        // The first chunk that holds an event after `after`: chunks are in sequence order.
        var low = 0
        var high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            if chunks[middle][length(ofChunk: middle) - 1].sequence <= after { low = middle + 1 } else { high = middle }
        }
        var found: [SequencedEvent] = []
        for index in low..<chunks.count {
            for offset in 0..<length(ofChunk: index) {
                let event = chunks[index][offset]
                guard event.sequence > after, include(event.event) else { continue }
                found.append(event)
                if found.count >= limit { return found }
            }
        }
        return found
    }

    /// Drops the events for which `isExpired` holds.
    mutating func removeAll(where isExpired: (ActivityEvent) -> Bool) {
        var kept = MemoryEventLog()
        forEach { if !isExpired($0.event) { kept.append($0) } }
        self = kept
    }

    /// How many events `matches` holds for.
    func count(where matches: (ActivityEvent) -> Bool) -> Int {
        var matching = 0
        forEach { if matches($0.event) { matching += 1 } }
        return matching
    }

    /// The sequence of its last event (0 when it holds none).
    var lastSequence: Int {
        guard count > 0 else { return 0 }
        return chunks[chunks.count - 1][length(ofChunk: chunks.count - 1) - 1].sequence
    }

    /// Whether the log holds no event.
    var isEmpty: Bool { count == 0 }

    /// Calls `body` with each event, in order.
    private func forEach(_ body: (SequencedEvent) -> Void) {
        for index in chunks.indices {
            for offset in 0..<length(ofChunk: index) { body(chunks[index][offset]) }
        }
    }

    /// How many of chunk `index`'s events are this log's.
    private func length(ofChunk index: Int) -> Int {
        index < chunks.count - 1 ? Self.chunkSize : count - index * Self.chunkSize
    }

    /// Events written once each and never changed, shared by the copies of a log. A copy appends only at the end
    /// of what is written (`written`), so no copy sees a write to a slot it reads.
    private final class Chunk: @unchecked Sendable {
        // Written only by the store's writer, one slot after another; a reader reads slots below its log's count,
        // written before the commit that published that log.
        private let slots: UnsafeMutablePointer<SequencedEvent>
        let capacity: Int
        /// How many slots are written, by any copy of the log.
        private(set) var written = 0

        init(capacity: Int) {
            self.capacity = capacity
            slots = .allocate(capacity: capacity)
        }

        deinit {
            slots.deinitialize(count: written)
            slots.deallocate()
        }

        /// The event in slot `offset`, which the caller's log holds (so it is written: `written` is the writer's
        /// to read, a reader's log knows its own count).
        subscript(offset: Int) -> SequencedEvent { slots[offset] }

        /// Writes the next slot. The caller has checked that it is this copy's end and that there is room.
        func append(_ event: SequencedEvent) {
            precondition(written < capacity, "a full chunk")
            (slots + written).initialize(to: event)
            written += 1
        }

        /// A new chunk with room for `capacity` events, holding this one's first `count`.
        func copy(first count: Int, capacity: Int) -> Chunk {
            let copy = Chunk(capacity: capacity)
            for offset in 0..<count { copy.append(slots[offset]) }
            return copy
        }
    }
}
