import Foundation
import Logging
import Synchronization
import TaskCore
import TaskTestSupport
import Testing

@testable import TaskStore

/// A PostgreSQL of the test's own that restarts, goes away or stops answering while requests keep coming, with
/// the pool settings taskd runs with: requests fail only with `storeUnavailable`, the process never traps, and the
/// same store serves again by itself.
@Suite(.enabled(if: StoreKind.postgresURL != nil || StoreKind.isCI, "needs PostgreSQL: run ./scripts/test"))
struct PostgresOutageTests {
    /// Counts the outcomes of the load's requests.
    final class Tally: Sendable {
        private let counts = Mutex<[String: Int]>([:])

        func record(_ outcome: String) { counts.withLock { $0[outcome, default: 0] += 1 } }
        var all: [String: Int] { counts.withLock { $0 } }
    }

    /// Reads and writes from `workers` tasks until `stop` is set; every outcome is recorded by name.
    func load(_ world: TestWorld, as caller: Caller, workers: Int, until stop: TransactionFlag, into tally: Tally) async
    {
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var step = 0
                    while !stop.isSet {
                        step += 1
                        do {
                            if step % 3 == 0 {
                                _ = try await world.tasks.create(caller, NewTask(title: "w\(worker)-\(step)"))
                            } else {
                                _ = try await world.accounts.me(caller)
                            }
                            tally.record("ok")
                        } catch let error as DomainError {
                            tally.record(error == .storeUnavailable ? "unavailable" : "other: \(error)")
                            try? await Task.sleep(for: .milliseconds(20))
                        } catch {
                            tally.record("other: \(String(reflecting: error))")
                        }
                    }
                }
            }
        }
    }

    /// Waits until the store answers again; `false` when it has not within a minute.
    func recovers(_ world: TestWorld, as caller: Caller) async -> Bool {
        for _ in 0..<240 {
            if (try? await world.accounts.me(caller)) != nil { return true }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return false
    }

    func openStore(on cluster: ThrowawayCluster) async throws -> (PostgresStore, Task<Void, Never>) {
        var logger = Logger(label: "taskd.test.outage")
        logger.logLevel = .critical
        let store = PostgresStore(
            url: try DatabaseURL(cluster.url()),
            pool: PoolSettings(size: 20, timeout: .seconds(2), statementTimeout: .seconds(2)),
            logger: logger)
        let runner = Task.detached { _ = try? await store.run() }
        try await store.migrate()
        return (store, runner)
    }

    /// Starts a cluster of the test's own and a store on it, runs the load while `disturb` acts on the cluster,
    /// then waits for the store to serve again. Returns every outcome and whether it recovered.
    func underLoad(
        _ disturb: (ThrowawayCluster, Tally) async throws -> Void
    ) async throws -> (outcomes: [String: Int], recovered: Bool) {
        let cluster = try await ThrowawayCluster()
        try await cluster.start()
        let (store, runner) = try await openStore(on: cluster)
        let world = TestWorld(store: store)
        let alice = try await world.register("alice")
        let stop = TransactionFlag()
        let tally = Tally()
        async let running: Void = load(world, as: alice, workers: 24, until: stop, into: tally)
        try await disturb(cluster, tally)
        let recovered = await recovers(world, as: alice)
        stop.set()
        await running
        runner.cancel()
        await cluster.remove()
        return (tally.all, recovered)
    }

    @Test("restarts and a server that is gone for a while cost only storeUnavailable, and the store recovers by itself")
    func restartsUnderLoad() async throws {
        let (outcomes, recovered) = try await underLoad { cluster, _ in
            for _ in 0..<3 {
                try await Task.sleep(for: .milliseconds(400))
                try await cluster.restart()
            }
            try await Task.sleep(for: .milliseconds(400))
            try await cluster.stop()
            try await Task.sleep(for: .seconds(3))
            try await cluster.start()
        }
        #expect(recovered, "the same store serves again without a restart of taskd")
        #expect(outcomes.keys.allSatisfy { $0 == "ok" || $0 == "unavailable" }, "\(outcomes)")
        #expect((outcomes["ok"] ?? 0) > 0 && (outcomes["unavailable"] ?? 0) > 0, "\(outcomes)")
    }

    @Test("a server that stops answering (SIGSTOP) fails requests with storeUnavailable instead of holding them")
    func frozenServer() async throws {
        let frozen = Mutex<[String: Int]>([:])
        let (outcomes, recovered) = try await underLoad { cluster, tally in
            try await Task.sleep(for: .milliseconds(300))
            try await cluster.signal("STOP")
            try await Task.sleep(for: .seconds(6))
            frozen.withLock { $0 = tally.all }
            try await cluster.signal("CONT")
        }
        let duringFreeze = frozen.withLock { $0 }
        #expect((duringFreeze["unavailable"] ?? 0) > 0, "requests in the freeze answered unavailable: \(duringFreeze)")
        #expect(outcomes.keys.allSatisfy { $0 == "ok" || $0 == "unavailable" }, "\(outcomes)")
        #expect(recovered)
    }
}
