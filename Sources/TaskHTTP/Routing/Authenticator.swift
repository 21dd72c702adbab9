import Hummingbird
import TaskCore

/// Turns `Authorization: Bearer <access token>` into the caller: the token is checked (`AccessTokenVerifier`), then
/// whether its user may still use it (`SessionService.caller(for:)`).
struct Authenticator: Sendable {
    let tokens: any AccessTokenVerifier
    let sessions: SessionService

    /// The caller of `request`.
    /// - Throws: `DomainError.unauthenticated` (401 with `WWW-Authenticate: Bearer`) for a missing, malformed or
    ///   unacceptable token, or a user who may no longer use it.
    func caller(of request: Request) async throws -> (Caller, VerifiedAccessToken) {
        guard let bearer = BearerCredential.token(in: request.headers[.authorization]) else {
            throw DomainError.unauthenticated
        }
        let token = try await tokens.verify(bearer)
        return (try await sessions.caller(for: token), token)
    }
}
