import Foundation
import TaskCore

/// The body of a webhook request: `{"type": <kind>, "timestamp": <the event's at>, "data": <the event as in the
/// feeds>}`.
public enum WebhookPayload {
    /// The JSON body that carries `message`.
    public static func body(of message: DeliveryMessage) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        switch message {
        case .event(let event):
            return try encoder.encode(Envelope(type: event.kind.rawValue, at: event.at, data: EventDTO(event)))
        case .ping(let ping):
            return try encoder.encode(Envelope(type: WebhookDelivery.pingKind, at: ping.at, data: PingDTO(ping: ping)))
        }
    }

    private struct Envelope<Event: Encodable>: Encodable {
        let type: String
        let timestamp: String
        let data: Event

        init(type: String, at: Date, data: Event) {
            self.type = type
            self.timestamp = Timestamp.format(at)
            self.data = data
        }
    }

    /// A ping, shaped like an event: no project, no task, no changes.
    private struct PingDTO: Encodable {
        let ping: WebhookPing

        private enum CodingKeys: String, CodingKey {
            case id, kind, at, changes
            case actorID = "actor_id"
            case workspaceID = "workspace_id"
            case projectID = "project_id"
            case taskID = "task_id"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ping.id.description, forKey: .id)
            try container.encode(WebhookDelivery.pingKind, forKey: .kind)
            try container.encode(Timestamp.format(ping.at), forKey: .at)
            try container.encode(ping.actorID.description, forKey: .actorID)
            try container.encode(ping.workspaceID.description, forKey: .workspaceID)
            try container.encodeNil(forKey: .projectID)
            try container.encodeNil(forKey: .taskID)
            try container.encode([String: String](), forKey: .changes)
        }
    }
}
