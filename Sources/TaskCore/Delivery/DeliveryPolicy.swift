import Foundation

/// What an attempt's outcome does to its delivery and its webhook: the retry schedule, disabling, and the failure
/// streak. Pure: the worker applies it inside the transaction that records the attempt.
public struct DeliveryPolicy: Sendable {
    /// The settings it applies.
    public var settings: WebhookDeliverySettings

    /// Creates the policy.
    public init(settings: WebhookDeliverySettings) {
        self.settings = settings
    }

    /// The delivery and webhook after an attempt that ended with `outcome` at `now`; `random` is a number in
    /// `0..<1` that places the retry within its jitter. The webhook is returned only when it changed.
    public func apply(
        _ outcome: AttemptOutcome, to delivery: WebhookDelivery, of webhook: Webhook, at now: Date, random: Double
    ) -> (WebhookDelivery, Webhook?) {
        var delivery = delivery
        delivery.attempts += 1
        delivery.updatedAt = now
        delivery.nextAttemptAt = nil
        var changed = webhook
        switch outcome {
        case .answered(let status, _) where (200...299).contains(status):
            delivery.status = .succeeded
            delivery.lastResponseStatus = status
            delivery.lastError = nil
            changed.failingSince = nil
        case .answered(410, _):
            delivery.status = .failed
            delivery.lastResponseStatus = 410
            delivery.lastError = "the receiver answered 410 Gone"
            disable(&changed, at: now, reason: "the receiver answered 410 Gone")
        case .undeliverable(let reason):
            delivery.status = .failed
            delivery.lastResponseStatus = nil
            delivery.lastError = reason
        case .answered(let status, let retryAfter):
            delivery.lastResponseStatus = status
            delivery.lastError = "the receiver answered \(status)"
            retryOrFail(&delivery, &changed, at: now, random: random, retryAfter: retryAfter)
        case .failed(let reason):
            delivery.lastResponseStatus = nil
            delivery.lastError = reason
            retryOrFail(&delivery, &changed, at: now, random: random, retryAfter: nil)
        }
        return (delivery, changed == webhook ? nil : changed)
    }

    /// After a failed attempt: the next retry of the schedule, or `failed` when none is left or the webhook has
    /// failed for `disableAfter` (which disables it).
    private func retryOrFail(
        _ delivery: inout WebhookDelivery, _ webhook: inout Webhook, at now: Date, random: Double,
        retryAfter: TimeInterval?
    ) {
        let since = webhook.failingSince ?? now
        webhook.failingSince = since
        if now.timeIntervalSince(since) >= settings.disableAfter {
            delivery.status = .failed
            let days = settings.disableAfter / 86400
            let span = days >= 1 && days == days.rounded() ? "\(Int(days)) days" : "\(Int(settings.disableAfter)) s"
            disable(&webhook, at: now, reason: "every attempt failed for \(span)")
            return
        }
        let retry = delivery.attempts - 1
        guard retry < settings.retrySchedule.count else {
            delivery.status = .failed
            return
        }
        let factor = 1 + settings.jitter * (2 * min(max(random, 0), 1) - 1)
        var wait = settings.retrySchedule[retry] * factor
        if let retryAfter, retryAfter.isFinite, retryAfter > wait { wait = min(retryAfter, settings.longestRetryAfter) }
        delivery.status = .pending
        delivery.nextAttemptAt = now.addingTimeInterval(max(wait, settings.retrySchedule[retry] * factor))
    }

    private func disable(_ webhook: inout Webhook, at now: Date, reason: String) {
        guard webhook.isEnabled else { return }
        webhook.isEnabled = false
        webhook.disabledReason = reason
        webhook.updatedAt = now
        webhook.version += 1
    }
}
