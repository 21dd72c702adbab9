import Foundation
import Synchronization
import TaskCore
import TaskTestSupport
import Testing

/// The delivery worker's loop yields to a busy API: while `busyRequests` requests are in flight it runs at most
/// `busyConcurrency` attempts, and `concurrency` again once they are done.
@Suite("Webhook worker: yielding to a busy API")
struct WebhookWorkerYieldTests {
    @Test("at most 4 attempts while 8 requests are in flight, 12 at once when none are")
    func yieldsWhileBusy() async throws {
        var settings = WebhookDeliverySettings()
        settings.concurrency = 16
        settings.busyConcurrency = 4
        settings.busyRequests = 8
        let fixture = try await WebhookDeliveryConformanceTests.Fixture(.memory)
        let sender = HeldSender()
        let load = RequestLoad()
        let worker = WebhookDeliveryWorker(
            store: fixture.world.store, sender: sender, settings: settings, now: fixture.world.clock.now,
            random: { 0.5 }, attemptsDue: fixture.webhooks.attemptsDue, pollInterval: .milliseconds(50), load: load)
        _ = try await fixture.hook()

        let requests = Latch()
        let busy = (0..<8).map { _ in Task { await load.counting { await requests.wait() } } }
        try await eventually { load.inFlight == 8 }
        for index in 0..<12 { try await fixture.task("T\(index)") }
        let running = Task { await worker.run() }
        defer { running.cancel() }

        try await eventually { sender.counts.running >= 4 }
        try await eventually {
            sender.releaseHeld()
            return sender.counts.done == 12
        }
        #expect(sender.counts.most == 4, "one claim of 12 would have run them all at once")

        requests.open()
        for request in busy { await request.value }
        #expect(load.inFlight == 0)
        for index in 12..<24 { try await fixture.task("T\(index)") }
        try await eventually { sender.counts.running == 12 }
        try await eventually {
            sender.releaseHeld()
            return sender.counts.done == 24
        }
        #expect(sender.counts.most == 12)
    }

    @Test("the limit: concurrency below busyRequests, busyConcurrency from it on, never above concurrency or below 1")
    func attemptLimit() {
        var settings = WebhookDeliverySettings()
        settings.concurrency = 16
        settings.busyConcurrency = 4
        settings.busyRequests = 8
        #expect(settings.attemptLimit(requestsInFlight: 0) == 16)
        #expect(settings.attemptLimit(requestsInFlight: 7) == 16)
        #expect(settings.attemptLimit(requestsInFlight: 8) == 4)
        #expect(settings.attemptLimit(requestsInFlight: 500) == 4)
        settings.busyConcurrency = 32
        #expect(settings.attemptLimit(requestsInFlight: 8) == 16)
        settings.concurrency = 0
        #expect(settings.attemptLimit(requestsInFlight: 0) == 1)
        #expect(settings.attemptLimit(requestsInFlight: 8) == 1)
    }

    /// Waits until `condition` holds, for at most 10 s.
    func eventually(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("the condition did not hold within 10 s")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// A sender whose attempts wait until the test releases them; it counts how many run at once.
private final class HeldSender: WebhookSender {
    struct Counts {
        var running = 0
        var most = 0
        var done = 0
    }

    private let state = Mutex<(counts: Counts, held: [CheckedContinuation<Void, Never>])>((Counts(), []))

    var counts: Counts { state.withLock { $0.counts } }

    func send(_ message: DeliveryMessage, to webhook: Webhook, at: Date, timeout: TimeInterval) async
        -> AttemptOutcome
    {
        await withCheckedContinuation { continuation in
            state.withLock { state in
                state.counts.running += 1
                state.counts.most = max(state.counts.most, state.counts.running)
                state.held.append(continuation)
            }
        }
        state.withLock { state in
            state.counts.running -= 1
            state.counts.done += 1
        }
        return .answered(status: 200, retryAfter: nil)
    }

    /// Lets every attempt waiting now end.
    func releaseHeld() {
        let held = state.withLock { state in
            defer { state.held = [] }
            return state.held
        }
        for continuation in held { continuation.resume() }
    }
}

/// A gate that holds its waiters until it opens.
private final class Latch: Sendable {
    private let state = Mutex<(isOpen: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let isOpen = state.withLock { state in
                if !state.isOpen { state.waiting.append(continuation) }
                return state.isOpen
            }
            if isOpen { continuation.resume() }
        }
    }

    func open() {
        let waiting = state.withLock { state in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
