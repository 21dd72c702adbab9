import Foundation
import Synchronization

/// Delivers the queued webhook deliveries: claims the due ones, attempts each through a `WebhookSender`, and
/// records every outcome with `DeliveryPolicy`. Any number of workers, in any number of processes, may run on one
/// store: a claim is exclusive (`claimDeliveries`), so each attempt is made by one of them.
///
/// `run()` is the long-running loop a process runs; `deliverDue()` makes one round and waits for it, for tests
/// and tools that step a clock.
public struct WebhookDeliveryWorker: Sendable {
    let store: any DataStore
    let sender: any WebhookSender
    let policy: DeliveryPolicy
    let now: Now
    let random: @Sendable () -> Double
    /// Rung when an attempt may be due: by the store when events commit, by the webhook service for pings and
    /// redeliveries, and by the worker itself when an attempt ends and makes room.
    let attemptsDue: EventSignal
    /// How long `run()` waits between two looks when nothing rings: the bound on how late a retry, or a ping
    /// queued by another process, is picked up.
    let pollInterval: Duration
    /// Told of every error the loop survives (a store outage), so that the process can log it.
    let onError: @Sendable (any Error) -> Void

    /// Creates a worker. `attemptsDue` is the webhook service's; the store's event signal is relayed to it.
    public init(
        store: any DataStore, sender: any WebhookSender, settings: WebhookDeliverySettings = .init(),
        now: @escaping Now = systemNow, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        attemptsDue: EventSignal, pollInterval: Duration = .seconds(1),
        onError: @escaping @Sendable (any Error) -> Void = { _ in }
    ) {
        self.store = store
        self.sender = sender
        self.policy = DeliveryPolicy(settings: settings)
        self.now = now
        self.random = random
        self.attemptsDue = attemptsDue
        self.pollInterval = pollInterval
        self.onError = onError
        store.eventSignal.relay(to: attemptsDue)
    }

    /// Claims every delivery due now (up to `limit`), attempts them at once and records their outcomes; returns
    /// how many attempts it made.
    @discardableResult
    public func deliverDue(limit: Int = 1000) async throws -> Int {
        let claimed = try await claim(limit: limit)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for attempt in claimed { group.addTask { try await self.attempt(attempt) } }
            try await group.waitForAll()
        }
        return claimed.count
    }

    /// Delivers until the task is cancelled, with at most `settings.concurrency` attempts in flight. Attempts in
    /// flight when it is cancelled end with their task; their deliveries are attempted again when their claim
    /// runs out.
    public func run() async {
        let inFlight = AttemptsInFlight()
        let concurrency = policy.settings.concurrency
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let generation = attemptsDue.generation
                let room = concurrency - inFlight.count.withLock { $0 }
                var claimed: [DeliveryAttempt] = []
                if room > 0 {
                    do {
                        claimed = try await claim(limit: room)
                    } catch {
                        onError(error)
                    }
                }
                for attempt in claimed {
                    inFlight.count.withLock { $0 += 1 }
                    group.addTask {
                        do {
                            try await self.attempt(attempt)
                        } catch {
                            self.onError(error)
                        }
                        inFlight.count.withLock { $0 -= 1 }
                        self.attemptsDue.notify()
                    }
                }
                // A full claim may have left more due: look again at once.
                if room > 0, claimed.count == room { continue }
                await attemptsDue.wait(after: generation, timeout: pollInterval)
            }
        }
    }

    private func claim(limit: Int) async throws -> [DeliveryAttempt] {
        let at = now()
        let until = at.addingTimeInterval(policy.settings.lease)
        return try await store.transaction { tx in
            try await tx.claimDeliveries(now: at, leaseUntil: until, limit: limit)
        }
    }

    /// Sends one claimed delivery and records how it went. The webhook row is locked only when the outcome
    /// changes it (a failure streak starts or ends, or it is disabled), so that the successes of a busy webhook
    /// do not queue behind one another. An attempt whose claim was taken over meanwhile records nothing.
    public func attempt(_ attempt: DeliveryAttempt) async throws {
        let outcome: AttemptOutcome
        if let message = attempt.message {
            outcome = await sender.send(message, to: attempt.webhook, at: now(), timeout: policy.settings.timeout)
            // Cut off by a shutdown: the outcome says nothing of the receiver. The claim runs out and another
            // attempt is made.
            if Task.isCancelled { return }
        } else {
            outcome = .undeliverable(reason: "the event is no longer retained")
        }
        let at = now()
        let random = random()
        let policy = policy
        try await store.transaction { tx in
            guard let delivery = try await tx.lockDelivery(attempt.delivery.id, lease: attempt.lease) else { return }
            var (updated, changedWebhook) = policy.apply(
                outcome, to: delivery, of: attempt.webhook, at: at, random: random)
            if changedWebhook != nil {
                let webhook = attempt.webhook
                if let current = try await tx.lockWebhook(webhook.id, in: webhook.workspaceID) {
                    (updated, changedWebhook) = policy.apply(outcome, to: delivery, of: current, at: at, random: random)
                    if let changedWebhook { try await tx.updateWebhook(changedWebhook) }
                }
            }
            try await tx.updateDelivery(updated)
        }
    }
}

/// How many attempts a running worker has in flight.
private final class AttemptsInFlight: Sendable {
    let count = Mutex(0)
}
