import Synchronization

/// Opens once start-up work (the migrations, the configured administrators) has finished; background services
/// wait for it before they first touch the store, so that none runs against a schema that is not there yet.
final class StartupGate: Sendable {
    private let state = Mutex(State.closed([]))

    private enum State {
        case closed([CheckedContinuation<Void, Never>])
        case open
    }

    /// Opens the gate and lets every waiter through.
    func open() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard case .closed(let waiting) = state else { return [] }
            state = .open
            return waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Returns once the gate is open.
    func wait() async {
        await withCheckedContinuation { continuation in
            let isOpen = state.withLock { state -> Bool in
                switch state {
                case .open:
                    return true
                case .closed(var waiting):
                    waiting.append(continuation)
                    state = .closed(waiting)
                    return false
                }
            }
            if isOpen { continuation.resume() }
        }
    }
}
