import Foundation
import PostgresNIO
import Synchronization
import TaskCore
import Testing

@testable import TaskStore

/// Lets a test hold a transaction open until another one is blocked behind its row lock, so that what the blocked
/// one reads after the wait is what the test checks, whatever the scheduling. On PostgreSQL the holder notes its
/// backend and the test waits until a session names it among its blockers; the memory store's locking reads take
/// the writer's turn, so they cannot read before the holder commits, and there the wait is only a few yields.
final class LockWaits: Sendable {
    private let holder = Mutex<Int32?>(nil)

    /// Notes the backend of `tx`, the transaction that holds the lock (inside the holder's transaction).
    func noteHolder(_ tx: any StoreTransaction) async throws {
        guard let postgres = tx as? PostgresTransaction else { return }
        let pid = try await postgres.rows("SELECT pg_backend_pid()") { try $0.decode(Int32.self) }.first
        holder.withLock { $0 = pid }
    }

    /// Returns once another session waits for the holder's lock (at most 20 s, then records an issue).
    func untilSomeoneWaits(in store: any DataStore) async throws {
        guard store is PostgresStore, let pid = holder.withLock({ $0 }) else {
            for _ in 0..<100 { await Task.yield() }
            return
        }
        for _ in 0..<2000 {
            let waiting = try await store.transaction { tx in
                try await (tx as? PostgresTransaction)?.rows(
                    "SELECT count(*)::int4 FROM pg_stat_activity WHERE \(pid) = ANY(pg_blocking_pids(pid))"
                ) { try $0.decode(Int32.self) }.first
            }
            if (waiting ?? 0) > 0 { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("no session waited for the holder's lock")
    }
}
