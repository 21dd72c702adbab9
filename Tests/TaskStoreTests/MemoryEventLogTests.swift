import Foundation
import TaskCore
import Testing

@testable import TaskStore

/// The memory store's feed log: events in order, and copies (snapshots, rolled-back states) that never see each
/// other's appends although they share storage.
@Suite("Memory store: event log")
struct MemoryEventLogTests {
    static let workspace = WorkspaceID(UUID())
    static let actor = UserID(UUID())

    /// Event number `sequence`, of kind `task_created` when even and `task_updated` when odd.
    static func event(_ sequence: Int, at: Date = Date(timeIntervalSince1970: 1_800_000_000)) -> SequencedEvent {
        SequencedEvent(
            event: ActivityEvent(
                id: ActivityID(UUID()), taskID: TaskID(UUID()), workspaceID: workspace, projectID: nil,
                formerProjectID: nil, actorID: actor, kind: sequence.isMultiple(of: 2) ? .taskCreated : .taskUpdated,
                at: at.addingTimeInterval(Double(sequence)), changes: .none),
            sequence: sequence)
    }

    static func log(_ sequences: some Sequence<Int>) -> MemoryEventLog {
        var log = MemoryEventLog()
        for sequence in sequences { log.append(event(sequence)) }
        return log
    }

    /// 1, 2, ..., `count`.
    static func numbers(_ count: Int) -> [Int] { (0..<count).map { $0 + 1 } }

    static func sequences(_ log: MemoryEventLog, after: Int = 0, limit: Int = .max) -> [Int] {
        log.events(after: after, limit: limit) { _ in true }.map(\.sequence)
    }

    @Test("events come back in order, after a sequence, up to a limit, filtered; across chunk boundaries")
    func reads() {
        for total in [0, 1, 15, 16, 17, 255, 256, 257, 1_000] {
            let log = Self.log(Self.numbers(total))
            #expect(log.count == total && log.isEmpty == (total == 0))
            #expect(Self.sequences(log) == Self.numbers(total))
            #expect(log.lastSequence == total)
            if total > 10 {
                #expect(Self.sequences(log, after: total - 10) == Array(total - 9...total))
                #expect(Self.sequences(log, after: 3, limit: 5) == [4, 5, 6, 7, 8])
                let updates = log.events(after: 0, limit: 3) { $0.kind == .taskUpdated }.map(\.sequence)
                #expect(updates == [1, 3, 5])
                #expect(log.count { $0.kind == .taskCreated } == total / 2)
            }
        }
    }

    @Test("a copy does not see what is appended to another, whichever appends first, at any point of a chunk")
    func copiesStayApart() {
        for shared in [0, 1, 15, 16, 100, 255, 256, 300, 512] {
            let base = Self.log(Self.numbers(shared))
            var first = base
            var second = base
            for sequence in shared + 1...shared + 300 { first.append(Self.event(sequence)) }
            for sequence in shared + 1...shared + 20 { second.append(Self.event(10_000 + sequence)) }
            for sequence in shared + 301...shared + 310 { first.append(Self.event(sequence)) }
            let prefix = Self.numbers(shared)
            #expect(Self.sequences(base) == prefix, "the snapshot, after \(shared)")
            #expect(Self.sequences(first) == prefix + Array(shared + 1...shared + 310), "after \(shared)")
            #expect(
                Self.sequences(second) == prefix + (shared + 1...shared + 20).map { 10_000 + $0 }, "after \(shared)")
            // A rolled-back state: the copy goes on from the shared point again, over what the other wrote.
            var again = base
            again.append(Self.event(99_999))
            #expect(Self.sequences(again) == prefix + [99_999])
            #expect(Self.sequences(first).count == shared + 310)
        }
    }

    @Test("removing expired events keeps the others in order, and the log appends after it")
    func removal() {
        var log = Self.log(1...600)
        let snapshot = log
        let cutoff = Date(timeIntervalSince1970: 1_800_000_000).addingTimeInterval(300.5)
        log.removeAll { $0.at < cutoff }
        #expect(Self.sequences(log) == Array(301...600))
        log.append(Self.event(601))
        #expect(Self.sequences(log) == Array(301...601) && log.lastSequence == 601)
        #expect(Self.sequences(snapshot) == Array(1...600))
        var emptied = snapshot
        emptied.removeAll { _ in true }
        #expect(emptied.isEmpty && emptied.lastSequence == 0 && Self.sequences(emptied).isEmpty)
    }
}
