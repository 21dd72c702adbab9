import Foundation
import TaskCore

/// Waits until every transaction that had begun when it was called has ended, so that a feed read afterwards
/// shows every event committed before the call. On PostgreSQL a feed holds back events while an older
/// transaction still runs, and the tests of other suites run transactions all the time; the memory store never
/// holds events back.
public enum FeedSettling {
    /// Returns once the transactions running at the call have ended (at most 20 s later).
    public static func settle(_ store: any DataStore) async throws {
        let start = try await store.transaction { tx in try await tx.currentFeedPosition() }
        guard let snapshot = start.committedBefore,
            let text = snapshot.split(separator: ":", omittingEmptySubsequences: false).dropFirst().first,
            let horizon = UInt64(text)
        else { return }
        for _ in 0..<2000 {
            let now = try await store.transaction { tx in try await tx.currentFeedPosition() }
            if now.transaction >= horizon { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw Unsettled()
    }

    /// Thrown when transactions kept running for 20 s.
    public struct Unsettled: Error {}
}
