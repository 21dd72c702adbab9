import HTTPTypes
import Hummingbird
import TaskCore

/// Bearer authentication for the routes that need a caller.
extension TaskdServices {
    /// The context with its caller set from `Authorization: Bearer <access token>`.
    /// - Throws: `DomainError.unauthenticated` (401 with `WWW-Authenticate: Bearer`) for a missing, malformed
    ///   or unacceptable token, or a user who may no longer use it.
    func authenticate(_ request: Request, _ context: TaskRequestContext) async throws -> TaskRequestContext {
        guard let bearer = BearerCredential.token(in: request.headers[.authorization]) else {
            throw DomainError.unauthenticated
        }
        let token = try await accessTokens.verify(bearer)
        var context = context
        context.caller = try await sessions.caller(for: token)
        return context
    }
}
