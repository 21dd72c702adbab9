import Foundation
import TaskCore
import TaskTestSupport
import Testing

@testable import TaskStore

/// `MemoryIdempotencyRecords`, the memory store's records kept beside its state: what the holder of the turn and
/// the other transactions see before and after it commits or rolls back.
@Suite("MemoryIdempotencyRecords: records beside the memory store's state")
struct MemoryIdempotencyRecordsTests {
    let alice = UserID(UUID())
    let start = SteppingClock.start

    func key(_ name: String) -> IdempotencyRecordKey { IdempotencyRecordKey(userID: alice, key: name) }

    func record(madeAt offset: TimeInterval, fingerprint: String = "f") -> IdempotencyRecord {
        IdempotencyRecord(
            stored: StoredIdempotentAnswer(fingerprint: fingerprint, answer: RecordedAnswer(status: 201, body: [1])),
            createdAt: start.addingTimeInterval(offset))
    }

    @Test("an added record is the holder's alone until it commits; a second add under its key is refused")
    func addThenCommit() {
        var records = MemoryIdempotencyRecords()
        let added1 = records.add(record(madeAt: 0, fingerprint: "first"), for: key("k"))
        #expect(added1)
        let added2 = records.add(record(madeAt: 0, fingerprint: "second"), for: key("k"))
        #expect(!added2)
        #expect(records.record(key("k"), asHolder: true)?.stored.fingerprint == "first")
        #expect(records.record(key("k"), asHolder: false) == nil)
        #expect(records.count == 0)
        records.commit()
        #expect(records.record(key("k"), asHolder: false)?.stored.fingerprint == "first")
        #expect(records.count == 1)
        let added3 = records.add(record(madeAt: 1), for: key("k"))
        #expect(!added3)
    }

    @Test("a rolled-back add leaves the key free and nothing committed")
    func addThenRollBack() {
        var records = MemoryIdempotencyRecords()
        let added1 = records.add(record(madeAt: 0), for: key("k"))
        #expect(added1)
        records.rollBack()
        #expect(records.record(key("k"), asHolder: true) == nil)
        records.commit()
        #expect(records.record(key("k"), asHolder: false) == nil)
        #expect(records.count == 0)
    }

    @Test("a deletion takes the records made before the cut-off, oldest first, at most the limit, at commit")
    func deleteBeforeCutOff() {
        var records = MemoryIdempotencyRecords()
        for index in 0..<5 {
            let added = records.add(record(madeAt: Double(index) * 10), for: key("k-\(index)"))
            #expect(added)
        }
        records.commit()
        let deleted1 = records.delete(before: start.addingTimeInterval(35), limit: 3)
        #expect(deleted1 == 3)
        // The holder no longer sees them; the others do until it commits.
        #expect(records.record(key("k-0"), asHolder: true) == nil)
        #expect(records.record(key("k-2"), asHolder: true) == nil)
        #expect(records.record(key("k-3"), asHolder: true) != nil)
        #expect(records.record(key("k-0"), asHolder: false) != nil)
        let deleted2 = records.delete(before: start.addingTimeInterval(35), limit: 3)
        #expect(deleted2 == 1)
        let deleted3 = records.delete(before: start.addingTimeInterval(35), limit: 3)
        #expect(deleted3 == 0)
        records.commit()
        #expect(
            (0..<5).map { records.record(key("k-\($0)"), asHolder: false) != nil }
                == [false, false, false, false, true])
        #expect(records.count == 1)
    }

    @Test("a rolled-back deletion keeps every record")
    func deleteThenRollBack() {
        var records = MemoryIdempotencyRecords()
        for index in 0..<3 {
            let added = records.add(record(madeAt: Double(index)), for: key("k-\(index)"))
            #expect(added)
        }
        records.commit()
        let deleted1 = records.delete(before: start.addingTimeInterval(100), limit: 10)
        #expect(deleted1 == 3)
        records.rollBack()
        #expect((0..<3).allSatisfy { records.record(key("k-\($0)"), asHolder: true) != nil })
        records.commit()
        #expect(records.count == 3)
    }

    @Test("a record made after a clock step back is kept until the ones made before it go; none goes early")
    func clockStepBack() {
        var records = MemoryIdempotencyRecords()
        let added1 = records.add(record(madeAt: 100), for: key("late"))
        #expect(added1)
        let added2 = records.add(record(madeAt: 0), for: key("stepped-back"))
        #expect(added2)
        records.commit()
        let deleted1 = records.delete(before: start.addingTimeInterval(50), limit: 10)
        #expect(deleted1 == 0)
        records.commit()
        #expect(records.count == 2)
        let deleted2 = records.delete(before: start.addingTimeInterval(150), limit: 10)
        #expect(deleted2 == 2)
        records.commit()
        #expect(records.count == 0)
    }

    @Test("a key deleted and recorded again in one transaction holds the new record after commit")
    func deleteThenAddAgain() {
        var records = MemoryIdempotencyRecords()
        let added1 = records.add(record(madeAt: 0, fingerprint: "old"), for: key("k"))
        #expect(added1)
        records.commit()
        let deleted1 = records.delete(before: start.addingTimeInterval(1), limit: 10)
        #expect(deleted1 == 1)
        let added2 = records.add(record(madeAt: 5, fingerprint: "new"), for: key("k"))
        #expect(added2)
        records.commit()
        #expect(records.record(key("k"), asHolder: false)?.stored.fingerprint == "new")
        #expect(records.count == 1)
        let deleted2 = records.delete(before: start.addingTimeInterval(6), limit: 10)
        #expect(deleted2 == 1)
        records.commit()
        #expect(records.count == 0)
    }
}
