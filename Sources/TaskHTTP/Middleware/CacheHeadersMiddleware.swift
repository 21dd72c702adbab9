import HTTPTypes
import Hummingbird

/// Gives every answer under `/api/` `Cache-Control: private, no-cache` and `Vary: Authorization`: answers depend
/// on the caller, and a cache must check a stored one with the server (`If-None-Match`) before it reuses it. An
/// answer that set its own `Cache-Control` keeps it (the token answers' `no-store`).
struct CacheHeadersMiddleware: RouterMiddleware {
    typealias Context = TaskRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        guard request.uri.path.hasPrefix("/api/") else { return response }
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "private, no-cache" }
        response.headers[.vary] = "Authorization"
        return response
    }
}
