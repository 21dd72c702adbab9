import NIOCore
import NIOPosix
import Synchronization
import TaskCore
import Testing

@testable import TaskStore

/// The sweep that watches the deadlines of transactions in flight, and the race that leaves work behind at its
/// deadline. Each test sweeps by hand, with deadlines far in the past or the future, and an interval the test never
/// reaches, so nothing depends on the clock.
@Suite("PostgreSQL store: deadlines")
struct DeadlineSweepTests {
    /// A sweep whose own repeating task never runs during a test.
    static func sweep() -> DeadlineSweep {
        DeadlineSweep(interval: .hours(1), on: MultiThreadedEventLoopGroup.singleton.next())
    }

    @Test("a passed deadline fires once at the next sweep; a future one waits; a cancelled one never fires")
    func firesOnce() {
        let sweep = Self.sweep()
        let fired = Mutex<[String]>([])
        _ = sweep.watch(until: .now() - .seconds(1)) { fired.withLock { $0.append("past") } }
        _ = sweep.watch(until: .now() + .hours(2)) { fired.withLock { $0.append("future") } }
        let cancelled = sweep.watch(until: .now() - .seconds(1)) { fired.withLock { $0.append("cancelled") } }
        cancelled.cancel()
        #expect(sweep.watchedCount == 2)
        sweep.sweepOnce()
        sweep.sweepOnce()
        #expect(fired.withLock { $0 } == ["past"])
        #expect(sweep.watchedCount == 1, "the future deadline is still watched")
    }

    @Test("work that ends first gives its result and stops the watch")
    func workFirst() async throws {
        let sweep = Self.sweep()
        let value = try await DeadlineRace.run(until: .now() + .hours(2), sweep: sweep, expire: { true }) { 42 }
        #expect(value == 42)
        #expect(sweep.watchedCount == 0)
    }

    @Test(
        "at the deadline the caller gets storeUnavailable at once, the work left behind; a deadline that does not hold lets the work go on",
        .timeLimit(.minutes(3)))
    func deadlineFirst() async throws {
        let sweep = Self.sweep()
        let (race, stuck) = await Self.sweptRace(on: sweep, expire: { true }, returning: 1)
        await #expect(throws: DomainError.storeUnavailable) { try await race.value }
        stuck.finish()

        let (goesOn, running) = await Self.sweptRace(on: sweep, expire: { false }, returning: 2)
        #expect(sweep.watchedCount == 0)
        running.finish()
        #expect(try await goesOn.value == 2, "the work's own result, after the deadline")
    }

    /// A race whose deadline has passed, once `sweep` has watched it and swept; its work returns `result` when the
    /// returned continuation finishes.
    static func sweptRace(
        on sweep: DeadlineSweep, expire: @escaping @Sendable () -> Bool, returning result: Int
    ) async -> (race: Task<Int, any Error>, work: AsyncStream<Void>.Continuation) {
        let work = AsyncStream<Void>.makeStream()
        let race = Task {
            try await DeadlineRace.run(until: .now() - .seconds(1), sweep: sweep, expire: expire) {
                for await _ in work.stream {}
                return result
            }
        }
        while sweep.watchedCount == 0 { await Task.yield() }
        sweep.sweepOnce()
        return (race, work.continuation)
    }
}
