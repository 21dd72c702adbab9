import Foundation
import TaskCore

/// The body of a webhook request: `{"type": <kind>, "timestamp": <the event's at>, "data": <the event as in the
/// feeds>}`.
public enum WebhookPayload {
    /// The JSON body that carries `message`.
    public static func body(of message: DeliveryMessage) throws -> Data {
        let event =
            switch message {
            case .event(let event): EventDTO(event)
            case .ping(let ping): EventDTO(ping)
            }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try encoder.encode(Envelope(type: event.kind, timestamp: Timestamp.format(event.at), data: event))
    }

    private struct Envelope: Encodable {
        let type: String
        let timestamp: String
        let data: EventDTO
    }
}
