import HTTPTypes
import Hummingbird
import TaskCore

/// A route handler: the request, its context (with the caller when the route is authenticated) and the response.
typealias RouteHandler = @Sendable (Request, TaskRequestContext) async throws -> Response

/// Collects routes before they are registered, so that the route table exists before the router's middleware.
struct RouteBuilder {
    struct Route {
        let method: HTTPRequest.Method
        let path: String
        let isAuthenticated: Bool
        let handler: RouteHandler
    }

    private(set) var routes: [Route] = []

    /// Adds a route that needs a bearer token.
    mutating func authenticated(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping RouteHandler) {
        routes.append(Route(method: method, path: path, isAuthenticated: true, handler: handler))
    }

    /// Adds a route open to anyone.
    mutating func open(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping RouteHandler) {
        routes.append(Route(method: method, path: path, isAuthenticated: false, handler: handler))
    }

    var table: RouteTable {
        RouteTable(entries: routes.map { RouteTable.Entry(method: $0.method, path: $0.path) })
    }

    /// Registers every route on `router`, with authentication in front of those that need it.
    func register(on router: Router<TaskRequestContext>, services: TaskdServices) {
        for route in routes {
            let hummingbirdPath = route.path.split(separator: "/").map { segment in
                segment.hasPrefix("{") ? ":" + segment.dropFirst().dropLast() : String(segment)
            }.joined(separator: "/")
            let handler = route.handler
            if route.isAuthenticated {
                router.on(RouterPath(hummingbirdPath), method: route.method) { request, context in
                    try await handler(request, try await services.authenticate(request, context))
                }
            } else {
                router.on(RouterPath(hummingbirdPath), method: route.method) { request, context in
                    try await handler(request, context)
                }
            }
        }
    }
}

extension TaskRequestContext {
    /// The path parameter `name` as an id. - Throws: `.notFound(kind)` when it is not a UUID.
    func pathID<Kind>(_ name: String, _ kind: ResourceKind, as _: Kind.Type = Kind.self) throws -> Identifier<Kind> {
        guard let text = parameters.get(name), let id = Identifier<Kind>(text) else { throw DomainError.notFound(kind) }
        return id
    }
}
