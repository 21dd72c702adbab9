import Hummingbird
import TaskCore

/// `/api/v1/workspaces/{id}/events` and `/api/v1/projects/{id}/events`: the event feeds, read page by page after a
/// cursor, optionally held open while nothing happens (`wait`), or followed as Server-Sent Events
/// (`Accept: text/event-stream`).
struct EventController: Sendable {
    let events: EventFeedService
    let authenticator: Authenticator

    var routes: [Route] {
        [
            .claimed(.get, "/api/v1/workspaces/{id}/events", workspaceFeed),
            .claimed(.get, "/api/v1/projects/{id}/events", projectFeed),
        ]
    }

    func workspaceFeed(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try await feed(.workspace(try context.pathID("id", .workspace)), request, context)
    }

    func projectFeed(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try await feed(.project(try context.pathID("id", .project)), request, context)
    }

    private func feed(_ scope: FeedScope, _ request: Request, _ context: ClaimedContext) async throws -> Response {
        var query = try EventRequests.feedQuery(request.uri.query)
        guard EventStream.isRequested(by: request) else {
            // A page (or a long poll): the caller is read with the workspace or project, in one statement.
            return try Responses.json(FeedDTO(try await events.feed(context.claim, scope, query)))
        }
        // A stream outlives its first read and ends with its credential: the caller is checked on its own, once.
        let authenticated = try await context.authenticated()
        // A stream resumes from `Last-Event-ID` (the cursor of the last event it received), else from `after`.
        if let resumed = request.headers[.lastEventID], !resumed.isEmpty { query.start = .cursor(resumed) }
        query.wait = .zero
        let first = try await events.feed(authenticated.caller, scope, query)
        return EventStream.response(
            first: first, scope: scope, kinds: query.kinds, caller: authenticated.caller,
            credential: authenticated.credential, events: events, authenticator: authenticator)
    }
}
