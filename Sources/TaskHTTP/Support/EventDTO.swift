import Foundation
import TaskCore

/// An event as the feeds (and webhooks) show it; `project_id` and `task_id` are written as `null` when absent.
struct EventDTO: Encodable {
    let event: ActivityEvent

    init(_ event: ActivityEvent) {
        self.event = event
    }

    private enum CodingKeys: String, CodingKey {
        case id, kind, at, changes
        case actorID = "actor_id"
        case workspaceID = "workspace_id"
        case projectID = "project_id"
        case taskID = "task_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event.id.description, forKey: .id)
        try container.encode(event.kind.rawValue, forKey: .kind)
        try container.encode(Timestamp.format(event.at), forKey: .at)
        try container.encode(event.actorID.description, forKey: .actorID)
        try container.encode(event.workspaceID.description, forKey: .workspaceID)
        try container.encode(event.projectID?.description, forKey: .projectID)
        try container.encode(event.taskID?.description, forKey: .taskID)
        try container.encode(event.changes, forKey: .changes)
    }
}

/// A page of a feed: `{"data": [...], "next_cursor": "..."}`.
struct FeedDTO: Encodable {
    let data: [EventDTO]
    let next_cursor: String

    init(_ answer: FeedAnswer) {
        data = answer.events.map(EventDTO.init)
        next_cursor = answer.nextCursor
    }
}
