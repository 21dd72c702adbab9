import Testing

@testable import TaskCore

/// The clean-up's batches: as many as the backlog needs, and no more.
@Suite("Batched deletion")
struct BatchedDeletionTests {
    @Test("a run stops at the first short batch: one batch when nothing is expired, three for two full batches")
    func stopsWhenShort() async throws {
        var calls = 0
        var ran = try await BatchedDeletion.run {
            calls += 1
            return 0
        }
        #expect(calls == 1 && ran == 1)

        calls = 0
        var backlog = 2 * BatchedDeletion.batchSize + 7
        ran = try await BatchedDeletion.run {
            calls += 1
            let deleted = min(backlog, BatchedDeletion.batchSize)
            backlog -= deleted
            return deleted
        }
        #expect(calls == 3 && ran == 3 && backlog == 0)
    }

    @Test("a backlog that never ends stops after the most batches a run may take")
    func bounded() async throws {
        var calls = 0
        let ran = try await BatchedDeletion.run {
            calls += 1
            return BatchedDeletion.batchSize
        }
        #expect(calls == BatchedDeletion.maximumBatches && ran == BatchedDeletion.maximumBatches)
    }
}
