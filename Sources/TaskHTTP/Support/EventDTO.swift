import Foundation
import TaskCore

/// An event as the feeds (and webhooks) show it; `project_id` and `task_id` are written as `null` when absent. A
/// webhook's ping is shown the same way, as a `webhook_ping` with no project, task or changes.
struct EventDTO: Encodable {
    let id: String
    let kind: String
    let at: Date
    let actorID: UserID
    let workspaceID: WorkspaceID
    let projectID: ProjectID?
    let taskID: TaskID?
    let changes: ActivityChanges

    init(_ event: ActivityEvent) {
        id = event.id.description
        kind = event.kind.rawValue
        at = event.at
        actorID = event.actorID
        workspaceID = event.workspaceID
        projectID = event.projectID
        taskID = event.taskID
        changes = event.changes
    }

    init(_ ping: WebhookPing) {
        id = ping.id.description
        kind = WebhookDelivery.pingKind
        at = ping.at
        actorID = ping.actorID
        workspaceID = ping.workspaceID
        projectID = nil
        taskID = nil
        changes = .none
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
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(Timestamp.format(at), forKey: .at)
        try container.encode(actorID.description, forKey: .actorID)
        try container.encode(workspaceID.description, forKey: .workspaceID)
        try container.encode(projectID?.description, forKey: .projectID)
        try container.encode(taskID?.description, forKey: .taskID)
        try container.encode(changes, forKey: .changes)
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
