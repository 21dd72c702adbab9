/// The activity log, inside a transaction. Events are appended and never changed.
public protocol ActivityStore: Sendable {
    /// Appends events in the given order; a task's events are listed in the order they were appended.
    func appendEvents(_ events: [ActivityEvent]) async throws
    /// A task's events in the order they were appended, strictly after `after` (a position whose value is the
    /// event's sequence number), at most `limit`, each with its position.
    func events(of taskID: TaskID, after: PagePosition?, limit: Int) async throws -> [SequencedEvent]
}

/// An event with its place in the append order, which is what a page of events is keyed by.
public struct SequencedEvent: Sendable, Equatable {
    /// The event.
    public var event: ActivityEvent
    /// Its append order across the store: larger is later.
    public var sequence: Int

    /// Creates a sequenced event.
    public init(event: ActivityEvent, sequence: Int) {
        self.event = event
        self.sequence = sequence
    }

    /// Where the event stands in a task's activity list.
    public var position: PagePosition { PagePosition(value: .int(sequence), id: event.id.uuid) }
}
