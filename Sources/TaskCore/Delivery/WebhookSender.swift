import Foundation

/// Makes one attempt to deliver: checks the webhook's URL again, signs the message and sends it. Implemented over
/// HTTP by `TaskHTTP`; tests may answer without a network.
public protocol WebhookSender: Sendable {
    /// Sends `message` to `webhook`, as the attempt made at `at`, and says how it ended; never throws: every
    /// failure is an outcome.
    func send(_ message: DeliveryMessage, to webhook: Webhook, at: Date, timeout: TimeInterval) async
        -> AttemptOutcome
}
