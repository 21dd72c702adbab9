import HTTPTypes
import Hummingbird

/// CORS for the configured origins: answers preflight requests and adds the headers to real ones. Requests
/// from other origins get no CORS headers (the browser then refuses them).
struct CORSPolicyMiddleware: RouterMiddleware {
    typealias Context = TaskRequestContext
    let allowedOrigins: [String]

    static let allowedMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    static let allowedHeaders = "Authorization, Content-Type, If-Match, X-Request-ID"
    static let exposedHeaders = "ETag, Location, Retry-After, X-Request-ID"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let origin = request.headers[.origin], isAllowed(origin) else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = Self.allowedMethods
            response.headers[.accessControlAllowHeaders] =
                request.headers[.accessControlRequestHeaders] ?? Self.allowedHeaders
            response.headers[.accessControlMaxAge] = "600"
            addOrigin(origin, to: &response)
            return response
        }
        var response = try await next(request, context)
        response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        addOrigin(origin, to: &response)
        return response
    }

    private func isAllowed(_ origin: String) -> Bool {
        allowedOrigins.contains("*") || allowedOrigins.contains(origin)
    }

    private func addOrigin(_ origin: String, to response: inout Response) {
        response.headers[.accessControlAllowOrigin] = allowedOrigins.contains("*") ? "*" : origin
        response.headers[.vary] = "Origin"
    }
}
