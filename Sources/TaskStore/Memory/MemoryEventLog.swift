import TaskCore

/// One feed's events in append order, kept so that appending after a snapshot copies nothing but the event: a
/// `ChunkedLog`, whose copies share its chunks and never see each other's appends.
struct MemoryEventLog: Sendable {
    private var events = ChunkedLog<SequencedEvent>()

    /// How many events this log holds.
    var count: Int { events.count }

    /// Appends an event; its sequence is larger than every one before it.
    mutating func append(_ event: SequencedEvent) {
        events.append(event)
    }

    /// Up to `limit` events after sequence `after` for which `include` holds, in order.
    func events(after: Int, limit: Int, where include: (ActivityEvent) -> Bool) -> [SequencedEvent] {
        // The first event after `after`: events are in sequence order.
        var low = events.startIndex
        var high = events.endIndex
        while low < high {
            let middle = (low + high) / 2
            if events[middle].sequence <= after { low = middle + 1 } else { high = middle }
        }
        var found: [SequencedEvent] = []
        for position in low..<events.endIndex {
            let event = events[position]
            guard include(event.event) else { continue }
            found.append(event)
            if found.count >= limit { return found }
        }
        return found
    }

    /// Drops the events for which `isExpired` holds.
    mutating func removeAll(where isExpired: (ActivityEvent) -> Bool) {
        var kept = MemoryEventLog()
        for event in events where !isExpired(event.event) { kept.append(event) }
        self = kept
    }

    /// How many events `matches` holds for.
    func count(where matches: (ActivityEvent) -> Bool) -> Int {
        events.count { matches($0.event) }
    }

    /// The sequence of its last event (0 when it holds none).
    var lastSequence: Int { events.last?.sequence ?? 0 }

    /// Whether the log holds no event.
    var isEmpty: Bool { events.isEmpty }
}
