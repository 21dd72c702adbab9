import Foundation
import TaskCore

/// A webhook delivery as the API shows it; absent values are written as `null`.
struct DeliveryDTO: Encodable {
    let delivery: WebhookDelivery

    init(_ delivery: WebhookDelivery) {
        self.delivery = delivery
    }

    private enum CodingKeys: String, CodingKey {
        case id, kind, status, attempts
        case webhookID = "webhook_id"
        case eventID = "event_id"
        case lastResponseStatus = "last_response_status"
        case lastError = "last_error"
        case nextAttemptAt = "next_attempt_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(delivery.id.description, forKey: .id)
        try container.encode(delivery.webhookID.description, forKey: .webhookID)
        try container.encode(delivery.eventID.description, forKey: .eventID)
        try container.encode(delivery.kind, forKey: .kind)
        try container.encode(delivery.status.rawValue, forKey: .status)
        try container.encode(delivery.attempts, forKey: .attempts)
        try container.encode(delivery.lastResponseStatus, forKey: .lastResponseStatus)
        try container.encode(delivery.lastError, forKey: .lastError)
        try container.encode(delivery.nextAttemptAt.map(Timestamp.format), forKey: .nextAttemptAt)
        try container.encode(Timestamp.format(delivery.createdAt), forKey: .createdAt)
        try container.encode(Timestamp.format(delivery.updatedAt), forKey: .updatedAt)
    }
}
