import Foundation

/// One event on its way to one webhook: queued in the transaction that recorded the event, then attempted until a
/// `2xx` answer, or until its retries run out.
public struct WebhookDelivery: Sendable, Equatable {
    /// The delivery's id.
    public var id: DeliveryID
    /// The webhook it goes to.
    public var webhookID: WebhookID
    /// The event it carries; the `webhook-id` header, the same on every attempt.
    public var eventID: ActivityID
    /// The event's kind: an `ActivityEventKind`'s name, or `webhook_ping`.
    public var kind: String
    /// Where it stands.
    public var status: DeliveryStatus
    /// How many attempts were made.
    public var attempts: Int
    /// The HTTP status of the last attempt's answer, if one came.
    public var lastResponseStatus: Int?
    /// Why the last attempt failed, if it did.
    public var lastError: String?
    /// When the next attempt is due; `nil` unless `pending`.
    public var nextAttemptAt: Date?
    /// When it was queued.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date

    /// Creates a delivery value.
    public init(
        id: DeliveryID, webhookID: WebhookID, eventID: ActivityID, kind: String, status: DeliveryStatus = .pending,
        attempts: Int = 0, lastResponseStatus: Int? = nil, lastError: String? = nil, nextAttemptAt: Date?,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.webhookID = webhookID
        self.eventID = eventID
        self.kind = kind
        self.status = status
        self.attempts = attempts
        self.lastResponseStatus = lastResponseStatus
        self.lastError = lastError
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The kind of a ping's delivery.
    public static let pingKind = "webhook_ping"
}

/// Where a delivery stands.
public enum DeliveryStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for its first attempt or a retry.
    case pending
    /// An attempt was answered `2xx`.
    case succeeded
    /// Its retries ran out, the receiver answered `410`, or its webhook was disabled for failing.
    case failed
}

/// What a delivery carries: an event of the log, or a ping, which is in no feed.
public enum DeliveryMessage: Sendable, Equatable {
    /// An event of the log.
    case event(ActivityEvent)
    /// A test message sent on request.
    case ping(WebhookPing)

    /// The event's id: the `webhook-id` header.
    public var id: ActivityID {
        switch self {
        case .event(let event): event.id
        case .ping(let ping): ping.id
        }
    }
}

/// A `webhook_ping` event: shaped like any event, with no project, task or changes.
public struct WebhookPing: Sendable, Equatable {
    /// The ping event's id.
    public var id: ActivityID
    /// The workspace of the webhook.
    public var workspaceID: WorkspaceID
    /// Who asked for it.
    public var actorID: UserID
    /// When it was asked for.
    public var at: Date

    /// Creates a ping.
    public init(id: ActivityID, workspaceID: WorkspaceID, actorID: UserID, at: Date) {
        self.id = id
        self.workspaceID = workspaceID
        self.actorID = actorID
        self.at = at
    }
}

/// A delivery claimed for one attempt: the delivery, its webhook as it was when claimed, and what it carries.
public struct DeliveryAttempt: Sendable, Equatable {
    /// The delivery.
    public var delivery: WebhookDelivery
    /// Identifies this claim: the outcome is recorded only while the delivery still carries it, so an attempt
    /// whose claim ran out and was taken over records nothing.
    public var lease: UUID
    /// The webhook it goes to.
    public var webhook: Webhook
    /// What it carries; `nil` when its event is no longer retained.
    public var message: DeliveryMessage?

    /// Creates an attempt.
    public init(delivery: WebhookDelivery, lease: UUID, webhook: Webhook, message: DeliveryMessage?) {
        self.delivery = delivery
        self.lease = lease
        self.webhook = webhook
        self.message = message
    }
}
