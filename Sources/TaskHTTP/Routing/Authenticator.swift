import Foundation
import Hummingbird
import TaskCore

/// Turns `Authorization: Bearer <token>` into the caller. A token that starts with `tdp_` is a personal access
/// token (`PersonalTokenService`); any other is an access token, checked (`AccessTokenVerifier`) and then whether
/// its user may still use it (`SessionService.caller(for:)`). The two are told apart by the prefix alone.
struct Authenticator: Sendable {
    let tokens: any AccessTokenVerifier
    let sessions: SessionService
    let personalTokens: PersonalTokenService

    /// The caller of `request` and the credential that authenticated it.
    /// - Throws: `DomainError.unauthenticated` (401 with `WWW-Authenticate: Bearer`) for a missing, malformed or
    ///   unacceptable token, or a user who may no longer use it.
    func caller(of request: Request) async throws -> (Caller, Credential) {
        guard let bearer = BearerCredential.token(in: request.headers[.authorization]) else {
            throw DomainError.unauthenticated
        }
        if PersonalTokenText.isPersonalToken(bearer) {
            let found = try await personalTokens.caller(presenting: bearer)
            return (found.caller, .personalToken(bearer, expiresAt: found.expiresAt))
        }
        let token = try await tokens.verify(bearer)
        return (try await sessions.caller(for: token), .accessToken(token))
    }

    /// Who the credential of `request` says the caller is: an access token verified without reading its user, or
    /// the caller of a personal access token (whose look-up reads the user anyway).
    /// - Throws: `DomainError.unauthenticated` as `caller(of:)` does, except for an access token whose user may no
    ///   longer use it, which the use case finds when it reads the user.
    func identity(of request: Request) async throws -> ClaimedContext.Identity {
        guard let bearer = BearerCredential.token(in: request.headers[.authorization]) else {
            throw DomainError.unauthenticated
        }
        if PersonalTokenText.isPersonalToken(bearer) {
            return .caller(try await personalTokens.caller(presenting: bearer).caller)
        }
        return .accessToken(try await tokens.verify(bearer))
    }

    /// Whether `credential` would still authenticate a request now.
    func isStillValid(_ credential: Credential) async -> Bool {
        switch credential {
        case .accessToken(let token): (try? await sessions.caller(for: token)) != nil
        case .personalToken(let text, _): (try? await personalTokens.caller(presenting: text)) != nil
        }
    }
}

/// The bearer token that authenticated a request; a long-lived answer (an event stream) ends when it expires or
/// stops being valid.
enum Credential: Sendable {
    /// A verified access token (JWT).
    case accessToken(VerifiedAccessToken)
    /// A personal access token, as presented, and its expiry.
    case personalToken(String, expiresAt: Date)

    /// When the credential expires; `nil` for one that does not.
    var expiresAt: Date? {
        switch self {
        case .accessToken(let token): token.expiresAt
        case .personalToken(_, let expiresAt): expiresAt
        }
    }
}
