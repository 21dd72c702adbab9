import TaskCore

/// One feed's events in append order, in chunks, so that appending after a snapshot copies one chunk and the
/// list of chunks, never the whole log.
struct MemoryEventLog: Sendable {
    private var chunks: [[SequencedEvent]] = []
    private static let chunkSize = 256

    /// Appends an event; its sequence is larger than every one before it.
    mutating func append(_ event: SequencedEvent) {
        if chunks.isEmpty || chunks[chunks.count - 1].count >= Self.chunkSize {
            var chunk: [SequencedEvent] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(event)
    }

    /// Up to `limit` events after sequence `after` for which `include` holds, in order.
    func events(after: Int, limit: Int, where include: (ActivityEvent) -> Bool) -> [SequencedEvent] {
        // The first chunk that holds an event after `after`: chunks are in sequence order.
        var low = 0
        var high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            if let last = chunks[middle].last, last.sequence <= after { low = middle + 1 } else { high = middle }
        }
        var found: [SequencedEvent] = []
        for chunk in chunks[low...] {
            for event in chunk where event.sequence > after && include(event.event) {
                found.append(event)
                if found.count >= limit { return found }
            }
        }
        return found
    }

    /// Drops the events for which `isExpired` holds.
    mutating func removeAll(where isExpired: (ActivityEvent) -> Bool) {
        let kept = chunks.joined().filter { !isExpired($0.event) }
        chunks = stride(from: 0, to: kept.count, by: Self.chunkSize).map {
            Array(kept[$0..<min($0 + Self.chunkSize, kept.count)])
        }
    }

    /// How many events `matches` holds for.
    func count(where matches: (ActivityEvent) -> Bool) -> Int {
        chunks.reduce(0) { $0 + $1.count { matches($0.event) } }
    }

    /// The sequence of its last event (0 when it holds none).
    var lastSequence: Int { chunks.last?.last?.sequence ?? 0 }

    /// Whether the log holds no event.
    var isEmpty: Bool { chunks.allSatisfy(\.isEmpty) }
}
