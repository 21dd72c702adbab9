import HTTPTypes
import Hummingbird

/// One route a controller serves: its method, its path template (`{name}` for a parameter) and its handler,
/// which is either open to anyone or runs only for an authenticated caller.
///
/// A controller lists its routes in one place, each as one line:
/// ```swift
/// var routes: [Route] {
///     [.authenticated(.get, "/api/v1/tasks/{id}", read), .authenticated(.delete, "/api/v1/tasks/{id}", delete)]
/// }
/// ```
struct Route: Sendable {
    /// A handler open to anyone.
    typealias OpenHandler = @Sendable (Request, TaskRequestContext) async throws -> Response
    /// A handler that runs only once the caller is authenticated.
    typealias CallerHandler = @Sendable (Request, AuthenticatedContext) async throws -> Response
    /// A handler that runs once the credential is verified, whose use case checks an access token's user in the
    /// same store read as the record it names (see `ClaimedContext`).
    typealias ClaimHandler = @Sendable (Request, ClaimedContext) async throws -> Response

    /// Who may reach the handler.
    enum Handler: Sendable {
        case open(OpenHandler)
        case authenticated(CallerHandler)
        case claimed(ClaimHandler)
    }

    /// The method.
    let method: HTTPRequest.Method
    /// The path, with `{name}` for parameters.
    let path: String
    /// The handler.
    let handler: Handler

    /// A route open to anyone.
    static func open(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping OpenHandler) -> Route {
        Route(method: method, path: path, handler: .open(handler))
    }

    /// A route that needs `Authorization: Bearer <access token>`.
    static func authenticated(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping CallerHandler) -> Route
    {
        Route(method: method, path: path, handler: .authenticated(handler))
    }

    /// A route that needs `Authorization: Bearer` as `authenticated` does, whose use case checks an access token's
    /// user together with the record it names: one store round trip instead of two.
    static func claimed(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping ClaimHandler) -> Route {
        Route(method: method, path: path, handler: .claimed(handler))
    }

    /// The path as Hummingbird's router spells it (`:name` for a parameter).
    var routerPath: RouterPath {
        RouterPath(
            path.split(separator: "/").map { segment in
                segment.hasPrefix("{") ? ":" + segment.dropFirst().dropLast() : String(segment)
            }.joined(separator: "/"))
    }
}
