import Foundation
import Synchronization

/// One watcher of every feed per process: while readers wait (long polls and streams), it alone asks the store
/// which feeds have new readable events, after each commit signal and at least every `pollInterval`, and wakes only
/// the readers of those feeds. A reader then reads its own feed once. So fifty readers of quiet feeds cost one
/// query per commit, not fifty.
///
/// It runs while someone waits and stops when nobody does. A reader takes its feed's `generation` before it reads
/// and waits `after` it, so a change between the read and the wait is never missed.
public final class FeedWatcher: Sendable {
    private let store: any DataStore
    private let pollInterval: Duration
    private let state = Mutex(State())

    private struct State {
        var signals: [FeedScope: (signal: EventSignal, readers: Int)] = [:]
        var isRunning = false
        /// Set once the running watcher knows where "now" is; readers that enter before wait for it.
        var isReady = false
        var waitingForReady: [CheckedContinuation<Void, Never>] = []
        var looks = 0
    }

    /// How many events one look reads at most.
    static let lookLimit = 1000

    /// Creates a watcher of `store`'s feeds.
    public init(store: any DataStore, pollInterval: Duration) {
        self.store = store
        self.pollInterval = pollInterval
    }

    /// How many looks at the store the watcher has made.
    public var looks: Int { state.withLock { $0.looks } }

    /// How many readers are registered now.
    public var readers: Int { state.withLock { $0.signals.values.reduce(0) { $0 + $1.readers } } }

    /// Registers a reader of `scope` and returns the signal that wakes it; call `leave` when it stops waiting.
    /// Starts the watcher when it is the first reader, and returns once the watcher knows where "now" is, so that
    /// every event that becomes readable after the reader's next read wakes it.
    func enter(_ scope: FeedScope) async -> EventSignal {
        let (signal, start) = state.withLock { state -> (EventSignal, Bool) in
            let entry = state.signals[scope] ?? (EventSignal(), 0)
            state.signals[scope] = (entry.signal, entry.readers + 1)
            defer { state.isRunning = true }
            return (entry.signal, !state.isRunning)
        }
        if start { Task { await self.watch() } }
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if !state.isReady { state.waitingForReady.append(continuation) }
                return state.isReady
            }
            if ready { continuation.resume() }
        }
        return signal
    }

    /// Marks the watcher ready and lets the readers that waited for it go on.
    private func setReady(_ isReady: Bool) {
        let waiting = state.withLock { state in
            state.isReady = isReady
            defer { state.waitingForReady = [] }
            return state.waitingForReady
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Unregisters a reader of `scope`.
    func leave(_ scope: FeedScope) {
        state.withLock { state in
            guard let entry = state.signals[scope] else { return }
            state.signals[scope] = entry.readers > 1 ? (entry.signal, entry.readers - 1) : nil
        }
    }

    /// Wakes every reader (a shutdown, or a look that failed: each reader then reads for itself).
    public func wakeAll() {
        for signal in state.withLock({ $0.signals.values.map(\.signal) }) { signal.notify() }
    }

    /// The loop: runs while readers are registered. Its first look only finds where "now" is; readers wait for it
    /// before their first read. A first look that fails lets them go on too: their own reads then fail the same
    /// way, and the next look starts from where it succeeds.
    private func watch() async {
        var position: FeedPosition?
        while true {
            let generation = store.eventSignal.generation
            do {
                let activity = try await store.transaction { [position] tx in
                    try await tx.feedActivity(after: position, limit: Self.lookLimit)
                }
                let woken = state.withLock { state in activity.scopes.compactMap { state.signals[$0]?.signal } }
                for signal in woken { signal.notify() }
                position = activity.next
                state.withLock { $0.looks += 1 }
                setReady(true)
                if activity.isPartial { continue }
            } catch {
                setReady(true)
                wakeAll()
            }
            let stops = state.withLock { state -> Bool in
                guard state.signals.isEmpty else { return false }
                state.isRunning = false
                state.isReady = false
                return true
            }
            if stops { return }
            await store.eventSignal.wait(after: generation, timeout: pollInterval)
        }
    }
}
