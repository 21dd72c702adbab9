import Hummingbird
import Logging
import NIOCore
import TaskCore

/// Turns every error into a problem document: domain errors through `DomainError.problem`, Hummingbird's own
/// (unknown route, body too large) into theirs, a known path with another method into 405, and anything else
/// into a plain 500 whose cause goes to the log only.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = TaskRequestContext
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return problem.response()
        } catch let error as DomainError {
            return error.problem.response()
        } catch RequestDecodingError.malformed(let detail) {
            return Problem.badRequest(detail).response()
        } catch let error as HTTPError {
            return problem(for: error, request: request).response()
        } catch is NIOTooManyBytesError {
            return Self.bodyTooLarge.response()
        } catch {
            context.logger.error(
                "request failed",
                metadata: ["request_id": "\(context.requestID)", "error": "\(String(reflecting: error))"])
            return Problem.internalError.response()
        }
    }

    static let bodyTooLarge = Problem(
        status: .contentTooLarge, code: "body_too_large", detail: "The body is larger than 1 MiB")

    private func problem(for error: HTTPError, request: Request) -> Problem {
        switch error.status {
        case .notFound:
            let allowed = routes.methods(matching: request.uri.path)
            if !allowed.isEmpty {
                let list = allowed.map(\.rawValue).sorted().joined(separator: ", ")
                return Problem(
                    status: .methodNotAllowed, code: "method_not_allowed",
                    detail: "\(request.method.rawValue) is not allowed here; use \(list)", headers: [.allow: list])
            }
            return Problem(status: .notFound, code: "route_not_found", detail: "Route not found")
        case .contentTooLarge:
            return Self.bodyTooLarge
        case .badRequest:
            return Problem.badRequest(error.body ?? "The request is malformed")
        default:
            return Problem(status: error.status, code: "http_\(error.status.code)", detail: error.status.reasonPhrase)
        }
    }
}
