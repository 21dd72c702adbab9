import Foundation
import Synchronization

/// Wakes the readers waiting for new events: a store calls `notify()` after committing a transaction that
/// recorded events (and, on PostgreSQL, when another process says it did), and a long poll waits on it between
/// two reads of its feed.
///
/// It carries no events, only "something may have changed": a reader reads its feed again after each wake-up. A
/// reader takes `generation` before it reads and waits `after` it, so a commit between the read and the wait is
/// never missed.
public final class EventSignal: Sendable {
    private let state = Mutex(State())

    private struct State {
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        /// Waiters woken (by their timeout or cancellation) before they had begun to wait.
        var wokenEarly: Set<UInt64> = []
        var nextWaiter: UInt64 = 0
        /// Signals notified with this one.
        var relays: [EventSignal] = []
    }

    /// Creates a signal.
    public init() {}

    /// A number that grows with each `notify()`.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// How many readers wait now (long polls and streams between two reads).
    public var waiting: Int { state.withLock { $0.waiters.count } }

    /// Wakes every waiter, and the waiters of every signal this one relays to.
    public func notify() {
        let (woken, relays) = state.withLock { state in
            state.generation &+= 1
            defer { state.waiters = [:] }
            return (Array(state.waiters.values), state.relays)
        }
        for waiter in woken { waiter.resume() }
        for relay in relays { relay.notify() }
    }

    /// Makes every later `notify()` of this signal notify `other` too (without counting as a waiter here).
    public func relay(to other: EventSignal) {
        guard other !== self else { return }
        state.withLock { state in
            if !state.relays.contains(where: { $0 === other }) { state.relays.append(other) }
        }
    }

    /// Returns once `notify()` was called after `generation` was read, or when `timeout` has passed, or when the
    /// task is cancelled, whichever comes first.
    public func wait(after generation: UInt64, timeout: Duration) async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.wake(id)
            }
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let waits = self.state.withLock { state in
                            guard state.generation == generation, state.wokenEarly.remove(id) == nil else {
                                return false
                            }
                            state.waiters[id] = continuation
                            return true
                        }
                        if !waits { continuation.resume() }
                    }
                } onCancel: {
                    self.wake(id)
                }
            }
            await group.next()
            group.cancelAll()
            wake(id)
        }
        state.withLock { _ = $0.wokenEarly.remove(id) }
    }

    /// Resumes waiter `id` if it waits, else makes it return as soon as it begins to.
    private func wake(_ id: UInt64) {
        let waiter = state.withLock { state in
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                state.wokenEarly.insert(id)
                return nil as CheckedContinuation<Void, Never>?
            }
            return waiter
        }
        waiter?.resume()
    }
}
