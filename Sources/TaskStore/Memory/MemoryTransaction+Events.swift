import Foundation
import TaskCore

extension MemoryTransaction {
    func appendEvents(_ events: [ActivityEvent]) async throws {
        guard !events.isEmpty else { return }
        await write { state in
            for event in events {
                let sequenced = SequencedEvent(event: event, sequence: state.nextEventSequence)
                state.nextEventSequence += 1
                if let taskID = event.taskID { state.eventsByTask[taskID, default: []].append(sequenced) }
                state.eventsByWorkspace[event.workspaceID, default: MemoryEventLog()].append(sequenced)
                for projectID in Set([event.projectID, event.formerProjectID].compactMap { $0 }) {
                    state.eventsByProject[projectID, default: MemoryEventLog()].append(sequenced)
                }
                state.queueDeliveries(of: event)
            }
            state.hasNewEvents = true
        }
    }

    func events(of taskID: TaskID, after: PagePosition?, limit: Int) async throws -> [SequencedEvent] {
        await read { state in
            var sequenceAfter = 0
            if let after, case .int(let sequence) = after.value { sequenceAfter = sequence }
            return Array((state.eventsByTask[taskID] ?? []).lazy.filter { $0.sequence > sequenceAfter }.prefix(limit))
        }
    }

    /// Changing transactions run one at a time and readers see committed events only, so the append order is the
    /// commit order: a position is a sequence number.
    func feedEvents(in scope: FeedScope, after position: FeedPosition, kinds: Set<ActivityEventKind>?, limit: Int)
        async throws -> FeedPage
    {
        await read { state in
            let log: MemoryEventLog? =
                switch scope {
                case .workspace(let id): state.eventsByWorkspace[id]
                case .project(let id): state.eventsByProject[id]
                }
            let after = Int(clamping: position.sequence)
            let found = (log ?? MemoryEventLog()).events(after: after, limit: limit) { event in
                kinds?.contains(event.kind) ?? true
            }
            let positions = found.map { FeedPosition(transaction: 0, sequence: Int64($0.sequence)) }
            return FeedPage(events: found.map(\.event), positions: positions, next: positions.last ?? position)
        }
    }

    func currentFeedPosition() async throws -> FeedPosition {
        await read { state in FeedPosition(transaction: 0, sequence: Int64(state.nextEventSequence - 1)) }
    }

    /// Every committed event is readable at once; the feeds with one after `position` are those whose last event
    /// is (a look at each feed's end, not at the events).
    func feedActivity(after position: FeedPosition?, limit: Int) async throws -> FeedActivity {
        await read { state in
            let next = FeedPosition(transaction: 0, sequence: Int64(state.nextEventSequence - 1))
            guard let position else { return FeedActivity(scopes: [], next: next) }
            let after = Int(clamping: position.sequence)
            var scopes = Set<FeedScope>()
            for (id, log) in state.eventsByWorkspace where log.lastSequence > after { scopes.insert(.workspace(id)) }
            for (id, log) in state.eventsByProject where log.lastSequence > after { scopes.insert(.project(id)) }
            return FeedActivity(scopes: scopes, next: next)
        }
    }

    func deleteEvents(before: Date, limit: Int) async throws -> Int {
        await write { state in
            let isExpired: (ActivityEvent) -> Bool = { $0.at < before }
            let expired = state.eventsByWorkspace.values.reduce(0) { $0 + $1.count(where: isExpired) }
            for id in Array(state.eventsByWorkspace.keys) { state.eventsByWorkspace[id]?.removeAll(where: isExpired) }
            for id in Array(state.eventsByProject.keys) { state.eventsByProject[id]?.removeAll(where: isExpired) }
            state.eventsByTask = state.eventsByTask.compactMapValues { events in
                let kept = events.filter { !isExpired($0.event) }
                return kept.isEmpty ? nil : kept
            }
            return expired
        }
    }
}
