import Foundation
import Synchronization
import TaskCore

/// A webhook sender without a network: it records every attempt and answers with the next outcome of its script
/// (`200` once the script is used up).
public final class ScriptedSender: WebhookSender {
    /// One attempt as the sender saw it.
    public struct Sent: Sendable, Equatable {
        /// The event's id (the `webhook-id`).
        public var eventID: ActivityID
        /// The event's kind.
        public var kind: String
        /// The webhook it went to.
        public var webhookID: WebhookID
    }

    private let state = Mutex<(script: [AttemptOutcome], sent: [Sent])>(([], []))

    /// Creates a sender that answers with `script`, one outcome per attempt, then `200`.
    public init(_ script: [AttemptOutcome] = []) {
        state.withLock { $0.script = script }
    }

    /// Every attempt so far, in the order they were made.
    public var sent: [Sent] { state.withLock { $0.sent } }

    /// Adds outcomes to the script.
    public func answer(_ outcomes: AttemptOutcome...) {
        state.withLock { $0.script += outcomes }
    }

    /// Records the attempt and answers with the next outcome of the script.
    public func send(_ message: DeliveryMessage, to webhook: Webhook, at: Date, timeout: TimeInterval) async
        -> AttemptOutcome
    {
        let kind: String
        switch message {
        case .event(let event): kind = event.kind.rawValue
        case .ping: kind = WebhookDelivery.pingKind
        }
        return state.withLock { state in
            state.sent.append(Sent(eventID: message.id, kind: kind, webhookID: webhook.id))
            return state.script.isEmpty ? .answered(status: 200, retryAfter: nil) : state.script.removeFirst()
        }
    }
}
