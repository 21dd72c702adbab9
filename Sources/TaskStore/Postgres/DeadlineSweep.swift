import NIOCore
import NIOPosix
import Synchronization

/// The deadlines of the transactions in flight, checked by one repeating sweep per process instead of one timer
/// each.
///
/// A timer on an event loop costs a wake-up of that loop when it is scheduled from another thread, and another when
/// it is cancelled (its promise is failed on the loop); every transaction scheduled one and cancelled it, nearly
/// always long before it fired. Here a watch is an entry in a locked table, and the sweep, every `interval`, fires
/// the entries whose deadline has passed: a deadline fires at most `interval` late, which is little against the
/// seconds a transaction may take.
final class DeadlineSweep: Sendable {
    /// The sweep the stores of this process share, every 50 ms on one of NIO's shared event loops.
    static let shared = DeadlineSweep(interval: .milliseconds(50), on: MultiThreadedEventLoopGroup.singleton.next())

    /// One watched deadline; `cancel()` removes it, and it never fires after that returns.
    struct Watch: Sendable {
        fileprivate let sweep: DeadlineSweep
        fileprivate let id: UInt64

        /// Stops watching. Harmless when the deadline fired already.
        func cancel() { sweep.remove(id) }
    }

    private struct Entry {
        let deadline: NIODeadline
        let fire: @Sendable () -> Void
    }

    private struct Table: ~Copyable {
        var entries: [UInt64: Entry] = [:]
        var lastID: UInt64 = 0
        var isSweeping = false
    }

    private let table = Mutex(Table())
    private let interval: TimeAmount
    private let loop: any EventLoop

    /// Creates a sweep that checks its deadlines every `interval` on `loop`, from the first watch on.
    init(interval: TimeAmount, on loop: any EventLoop) {
        self.interval = interval
        self.loop = loop
    }

    /// Calls `fire` once `deadline` has passed (at most `interval` later), unless the watch is cancelled first.
    func watch(until deadline: NIODeadline, _ fire: @escaping @Sendable () -> Void) -> Watch {
        let (id, starts) = table.withLock { table -> (UInt64, Bool) in
            table.lastID &+= 1
            table.entries[table.lastID] = Entry(deadline: deadline, fire: fire)
            defer { table.isSweeping = true }
            return (table.lastID, !table.isSweeping)
        }
        if starts {
            loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [self] _ in sweepOnce() }
        }
        return Watch(sweep: self, id: id)
    }

    /// Fires and removes the entries whose deadline has passed.
    func sweepOnce() {
        let now = NIODeadline.now()
        let due = table.withLock { table -> [Entry] in
            let due = table.entries.filter { $0.value.deadline <= now }
            for id in due.keys { table.entries[id] = nil }
            return Array(due.values)
        }
        for entry in due { entry.fire() }
    }

    /// How many deadlines are watched now; for tests.
    var watchedCount: Int { table.withLock { $0.entries.count } }

    private func remove(_ id: UInt64) {
        _ = table.withLock { $0.entries.removeValue(forKey: id) }
    }
}
