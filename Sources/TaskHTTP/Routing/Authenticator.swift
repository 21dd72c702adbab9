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

    /// The bearer credential of `request`, checked as far as it can be without the store: an access token
    /// verified (signature, algorithm, issuer, times), a personal access token's shape and checksum.
    /// - Throws: `DomainError.unauthenticated` (401 with `WWW-Authenticate: Bearer`) for a missing, malformed or
    ///   unacceptable token.
    func presented(in request: Request) async throws -> PresentedCredential {
        guard let bearer = BearerCredential.token(in: request.headers.value(of: .authorization)) else {
            throw DomainError.unauthenticated
        }
        if PersonalTokenText.isPersonalToken(bearer) {
            guard PersonalTokenText.isWellFormed(bearer) else { throw DomainError.unauthenticated }
            return .personalToken(bearer)
        }
        return .accessToken(try await tokens.verify(bearer))
    }

    /// The caller `presented` stands for and the credential that authenticated it.
    /// - Throws: `DomainError.unauthenticated` for a token that is unknown, expired or revoked, or a user who may
    ///   no longer use it.
    func caller(for presented: PresentedCredential) async throws -> (Caller, Credential) {
        switch presented {
        case .personalToken(let text):
            let found = try await personalTokens.caller(presenting: text)
            return (found.caller, .personalToken(text, expiresAt: found.expiresAt))
        case .accessToken(let token):
            return (try await sessions.caller(for: token), .accessToken(token))
        }
    }

    /// The caller of `request` and the credential that authenticated it (`presented(in:)`, then
    /// `caller(for:)`).
    func caller(of request: Request) async throws -> (Caller, Credential) {
        try await caller(for: try await presented(in: request))
    }

    /// Who `presented` says the caller is, for a route whose token rule is `rule`: an access token as it is, or a
    /// personal access token's look-up. Nothing is read: the use case reads the user (and the token) with its
    /// first record, and checks them, and the token's grant against `rule`, then.
    func claim(for presented: PresentedCredential, rule: TokenRouteRule) throws -> any CallerClaim {
        switch presented {
        case .accessToken(let token): token
        case .personalToken(let text): try personalTokens.claim(presenting: text, for: rule)
        }
    }

    /// Whether `credential` would still authenticate a request now.
    func isStillValid(_ credential: Credential) async -> Bool {
        switch credential {
        case .accessToken(let token): (try? await sessions.caller(for: token)) != nil
        case .personalToken(let text, _): (try? await personalTokens.caller(presenting: text)) != nil
        }
    }
}

/// A bearer credential checked as far as it can be without the store.
enum PresentedCredential: Sendable {
    /// A verified access token (JWT), its user not read yet.
    case accessToken(VerifiedAccessToken)
    /// A well-formed personal access token, not looked up yet.
    case personalToken(String)
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
