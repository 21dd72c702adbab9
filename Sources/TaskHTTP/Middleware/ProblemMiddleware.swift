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
        } catch let error as HTTPError where error.status == .notFound {
            return routeNotFound(request).response()
        } catch {
            if let problem = Problem(answering: error) { return problem.response() }
            context.logger.error(
                "request failed",
                metadata: ["request_id": "\(context.requestID)", "error": "\(String(reflecting: error))"])
            return Problem.internalError.response()
        }
    }

    /// 405 naming the allowed methods for a known path with another method, else 404.
    private func routeNotFound(_ request: Request) -> Problem {
        let allowed = routes.methods(matching: request.uri.path)
        guard !allowed.isEmpty else {
            return Problem(status: .notFound, code: "route_not_found", detail: "Route not found")
        }
        let list = allowed.map(\.rawValue).sorted().joined(separator: ", ")
        return Problem(
            status: .methodNotAllowed, code: "method_not_allowed",
            detail: "\(request.method.rawValue) is not allowed here; use \(list)", headers: [.allow: list])
    }
}

extension Problem {
    /// The problem that answers `error` when a rule names one: a problem thrown as it is, a domain error through
    /// `DomainError.problem`, a malformed body, Hummingbird's own errors. `nil` for any other error (a fault, which
    /// becomes a plain 500 whose cause goes to the log only).
    init?(answering error: any Error) {
        switch error {
        case let problem as Problem:
            self = problem
        case let error as DomainError:
            self = error.problem
        case RequestDecodingError.malformed(let detail):
            self = .badRequest(detail)
        case let error as HTTPError:
            self = Self.problem(for: error)
        case is NIOTooManyBytesError:
            self = Self.bodyTooLarge
        default:
            return nil
        }
    }

    /// 413 for a body over 1 MiB.
    static let bodyTooLarge = Problem(
        status: .contentTooLarge, code: "body_too_large", detail: "The body is larger than 1 MiB")

    private static func problem(for error: HTTPError) -> Problem {
        switch error.status {
        case .notFound:
            return Problem(status: .notFound, code: "route_not_found", detail: "Route not found")
        case .contentTooLarge:
            return bodyTooLarge
        case .badRequest:
            return .badRequest(error.body ?? "The request is malformed")
        default:
            return Problem(status: error.status, code: "http_\(error.status.code)", detail: error.status.reasonPhrase)
        }
    }
}
