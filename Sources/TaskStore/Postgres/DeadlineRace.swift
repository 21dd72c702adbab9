import NIOCore
import Synchronization
import TaskCore

/// Runs work that must answer by a deadline even when what it awaits never completes.
///
/// postgres-nio 1.33.2 drops a statement written to a connection whose channel has just closed, and the statement's
/// `await` then never returns; cancellation does not reach it either. So the work runs in a task of its own that the
/// caller can leave behind: at the deadline, `expire` runs (it closes the connection, so that nothing the work sends
/// afterwards can still commit) and the caller gets `storeUnavailable` at once. A task left behind this way stays
/// suspended for good; at most one per pooled connection can be, each time that connection dies.
///
/// The deadline is watched by `DeadlineSweep`, so it fires up to the sweep's interval late.
enum DeadlineRace {
    /// The result of `work`, or `storeUnavailable` when `deadline` passes first and `expire` says the deadline
    /// still holds (it returns `true`, having closed what `work` uses if need be; the work is cancelled). When it
    /// returns `false`, the work goes on with no deadline.
    static func run<Result: Sendable>(
        until deadline: NIODeadline, sweep: DeadlineSweep = .shared, expire: @escaping @Sendable () -> Bool,
        _ work: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let outcome = Once<Result>()
        let worker = Task {
            do {
                outcome.resume(with: .success(try await work()))
            } catch {
                outcome.resume(with: .failure(error))
            }
        }
        let watch = sweep.watch(until: deadline) {
            guard expire() else { return }
            outcome.resume(with: .failure(DomainError.storeUnavailable))
            worker.cancel()
        }
        defer { watch.cancel() }
        return try await withTaskCancellationHandler {
            try await outcome.value()
        } onCancel: {
            worker.cancel()
        }
    }

    /// A result delivered once, by whichever of the work and the timer comes first, to one waiter.
    private final class Once<Value: Sendable>: Sendable {
        private enum State {
            case pending
            case waiting(CheckedContinuation<Value, any Error>)
            case done(Swift.Result<Value, any Error>)
            case delivered
        }

        private let state = Mutex(State.pending)

        func resume(with result: Swift.Result<Value, any Error>) {
            let waiter = state.withLock { state -> CheckedContinuation<Value, any Error>? in
                switch state {
                case .pending:
                    state = .done(result)
                    return nil
                case .waiting(let continuation):
                    state = .delivered
                    return continuation
                case .done, .delivered:
                    return nil
                }
            }
            waiter?.resume(with: result)
        }

        func value() async throws -> Value {
            try await withCheckedThrowingContinuation { continuation in
                let ready = state.withLock { state -> Swift.Result<Value, any Error>? in
                    switch state {
                    case .pending:
                        state = .waiting(continuation)
                        return nil
                    case .done(let result):
                        state = .delivered
                        return result
                    case .waiting, .delivered:
                        return .failure(DomainError.storeUnavailable)
                    }
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }
}
