import Hummingbird
import TaskCore

/// `/api/v1/workspaces/{id}/events` and `/api/v1/projects/{id}/events`: the event feeds, read page by page after a
/// cursor, optionally held open while nothing happens (`wait`).
struct EventController: Sendable {
    let events: EventFeedService

    var routes: [Route] {
        [
            .authenticated(.get, "/api/v1/workspaces/{id}/events", workspaceFeed),
            .authenticated(.get, "/api/v1/projects/{id}/events", projectFeed),
        ]
    }

    func workspaceFeed(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await feed(.workspace(try context.pathID("id", .workspace)), request, context)
    }

    func projectFeed(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await feed(.project(try context.pathID("id", .project)), request, context)
    }

    private func feed(_ scope: FeedScope, _ request: Request, _ context: AuthenticatedContext) async throws -> Response
    {
        let query = try EventRequests.feedQuery(request.uri.query)
        return try Responses.json(FeedDTO(try await events.feed(context.caller, scope, query)))
    }
}
