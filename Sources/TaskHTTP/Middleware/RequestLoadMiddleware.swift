import Hummingbird
import TaskCore

/// Counts every request in `load` while it is handled, but an event feed's (`…/events`): its long poll and its
/// stream wait by design, and background work that yields to a busy API should not yield to them.
struct RequestLoadMiddleware: RouterMiddleware {
    typealias Context = TaskRequestContext
    let load: RequestLoad

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard Self.counts(path: request.uri.path) else { return try await next(request, context) }
        return try await load.counting { try await next(request, context) }
    }

    /// Whether a request for `path` is counted.
    static func counts(path: String) -> Bool { !path.hasSuffix("/events") }
}
