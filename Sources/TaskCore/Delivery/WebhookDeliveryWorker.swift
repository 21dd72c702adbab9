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
    /// Rung when an attempt may be due: by the store when a commit queued deliveries, by the webhook service for pings and
    /// redeliveries, and by the worker itself when an attempt ends and makes room.
    let attemptsDue: EventSignal
    /// How long `run()` waits between two looks when nothing rings: the bound on how late a retry, or a ping
    /// queued by another process, is picked up.
    let pollInterval: Duration
    /// Told of every error the loop survives (a store outage), so that the process can log it.
    let onError: @Sendable (any Error) -> Void
    /// The API's requests in flight, which `run()` yields to (`WebhookDeliverySettings.attemptLimit`); `nil` for a
    /// worker that runs alone.
    let load: RequestLoad?

    /// Creates a worker. `attemptsDue` is the webhook service's; the store's delivery signal is relayed to it.
    public init(
        store: any DataStore, sender: any WebhookSender, settings: WebhookDeliverySettings = .init(),
        now: @escaping Now = systemNow, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        attemptsDue: EventSignal, pollInterval: Duration = .seconds(1), load: RequestLoad? = nil,
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
        self.load = load
        store.deliverySignal.relay(to: attemptsDue)
    }

    /// Claims every delivery due now (up to `limit`), attempts them at once and records their outcomes; returns
    /// how many attempts it made.
    @discardableResult
    public func deliverDue(limit: Int = 1000) async throws -> Int {
        let claimed = try await claim(limit: limit)
        let results = await withTaskGroup(of: (DeliveryAttempt, AttemptOutcome?).self) { group in
            for attempt in claimed { group.addTask { (attempt, await self.send(attempt)) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        try await record(results.compactMap { attempt, outcome in outcome.map { (attempt, $0) } })
        return claimed.count
    }

    /// Sends one claimed delivery and records how it went.
    public func attempt(_ attempt: DeliveryAttempt) async throws {
        guard let outcome = await send(attempt) else { return }
        try await record([(attempt, outcome)])
    }

    /// Delivers until the task is cancelled, with at most `settings.concurrency` attempts in flight, or
    /// `settings.busyConcurrency` while the API is busy (`load`): attempts in flight then end as they would, and
    /// no new one starts until fewer run. Outcomes are recorded in batches, one statement for all that leave their
    /// webhook alone, and a new claim is made once a quarter of the room is free, so that the store sees a few
    /// large statements instead of many small ones.
    /// Attempts in flight when it is cancelled end with their task; their deliveries are attempted again when
    /// their claim runs out.
    public func run() async {
        let state = RunState()
        let settings = policy.settings
        let clock = ContinuousClock()
        var lastRecorded = clock.now
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let generation = attemptsDue.generation
                let limit = settings.attemptLimit(requestsInFlight: load?.inFlight ?? 0)
                let claimAt = max(1, limit / 4)
                // Outcomes wait for a batch of a quarter of the room, or for 100 ms, or for the last attempt in
                // flight: fewer, larger transactions while attempts stream in.
                let inFlight = state.inFlight.withLock { $0 }
                let waiting = state.finished.withLock { $0.count }
                if waiting > 0, waiting < claimAt, inFlight > 0, clock.now - lastRecorded < .milliseconds(100) {
                    await attemptsDue.wait(after: generation, timeout: .milliseconds(100))
                    continue
                }
                let finished = state.finished.withLock { finished in
                    defer { finished = [] }
                    return finished
                }
                if !finished.isEmpty {
                    lastRecorded = clock.now
                    do {
                        try await record(finished)
                    } catch {
                        onError(error)
                    }
                }
                let room = limit - state.inFlight.withLock { $0 }
                var claimed: [DeliveryAttempt] = []
                if room >= claimAt {
                    do {
                        claimed = try await claim(limit: room)
                    } catch {
                        onError(error)
                    }
                }
                for attempt in claimed {
                    state.inFlight.withLock { $0 += 1 }
                    group.addTask {
                        let outcome = await self.send(attempt)
                        state.inFlight.withLock { $0 -= 1 }
                        if let outcome { state.finished.withLock { $0.append((attempt, outcome)) } }
                        self.attemptsDue.notify()
                    }
                }
                // A full claim may have left more due: look again at once.
                if room >= claimAt, claimed.count == room { continue }
                await attemptsDue.wait(after: generation, timeout: pollInterval)
            }
        }
        // Outcomes that came in as the loop ended: recorded if the store still answers, else attempted again.
        try? await record(state.finished.withLock { $0 })
    }

    private func claim(limit: Int) async throws -> [DeliveryAttempt] {
        let at = now()
        let until = at.addingTimeInterval(policy.settings.lease)
        return try await store.transaction { tx in
            try await tx.claimDeliveries(now: at, leaseUntil: until, limit: limit)
        }
    }

    /// One attempt; `nil` when it was cut off by a shutdown, which says nothing of the receiver (the claim runs
    /// out and another attempt is made).
    private func send(_ attempt: DeliveryAttempt) async -> AttemptOutcome? {
        guard let message = attempt.message else { return .undeliverable(reason: "the event is no longer retained") }
        let outcome = await sender.send(message, to: attempt.webhook, at: now(), timeout: policy.settings.timeout)
        return Task.isCancelled ? nil : outcome
    }

    /// Records outcomes. Those that leave their webhook as it was go in one statement; the others (a failure
    /// streak starts or ends, or the webhook is disabled) each lock the webhook row and apply to it as it is now,
    /// so the successes of a busy webhook never queue on its row.
    private func record(_ results: [(DeliveryAttempt, AttemptOutcome)]) async throws {
        guard !results.isEmpty else { return }
        let at = now()
        let policy = policy
        var plain: [(delivery: WebhookDelivery, lease: UUID)] = []
        var changing: [(DeliveryAttempt, AttemptOutcome, Double)] = []
        for (attempt, outcome) in results {
            let random = random()
            let (updated, webhook) = policy.apply(
                outcome, to: attempt.delivery, of: attempt.webhook, at: at, random: random)
            if webhook == nil {
                plain.append((updated, attempt.lease))
            } else {
                changing.append((attempt, outcome, random))
            }
        }
        let updates = plain
        if !updates.isEmpty { try await store.transaction { tx in try await tx.updateClaimedDeliveries(updates) } }
        for (attempt, outcome, random) in changing {
            try await store.transaction { tx in
                guard let delivery = try await tx.lockDelivery(attempt.delivery.id, lease: attempt.lease) else {
                    return
                }
                let webhook = attempt.webhook
                let current = try await tx.lockWebhook(webhook.id, in: webhook.workspaceID) ?? webhook
                let (updated, changed) = policy.apply(outcome, to: delivery, of: current, at: at, random: random)
                if let changed { try await tx.updateWebhook(changed) }
                try await tx.updateDelivery(updated)
            }
        }
    }
}

/// What a running worker shares with its attempts: how many are in flight, and the outcomes not yet recorded.
private final class RunState: Sendable {
    let inFlight = Mutex(0)
    let finished = Mutex<[(DeliveryAttempt, AttemptOutcome)]>([])
}
