import NIOCore
import Synchronization

/// A cancellable sleep on an event loop's timer.
///
/// `Task.sleep` keeps its timer, and the memory behind it, until the deadline even when the sleep is cancelled
/// early. The lease deadline is cancelled on nearly every transaction, so with `Task.sleep` every transaction of
/// the last few seconds kept a timer alive; an event loop's scheduled task is removed the moment it is cancelled.
enum LoopTimer {
    /// Returns after `duration`. - Throws: `CancellationError` as soon as the calling task is cancelled.
    static func sleep(for duration: Duration, on loop: any EventLoop) async throws {
        try await sleep(until: .now() + TimeAmount(duration), on: loop)
    }

    /// Returns at `deadline`. - Throws: `CancellationError` as soon as the calling task is cancelled.
    static func sleep(until deadline: NIODeadline, on loop: any EventLoop) async throws {
        let state = Mutex(State.waiting)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let scheduled = loop.scheduleTask(deadline: deadline) {
                    continuation.resume()
                }
                scheduled.futureResult.whenFailure { _ in continuation.resume(throwing: CancellationError()) }
                let cancelledAlready = state.withLock { state in
                    if case .cancelled = state { return true }
                    state = .scheduled(scheduled)
                    return false
                }
                if cancelledAlready { scheduled.cancel() }
            }
        } onCancel: {
            let scheduled = state.withLock { state -> Scheduled<Void>? in
                defer { state = .cancelled }
                if case .scheduled(let scheduled) = state { return scheduled }
                return nil
            }
            scheduled?.cancel()
        }
    }

    private enum State: Sendable {
        case waiting
        case scheduled(Scheduled<Void>)
        case cancelled
    }
}
