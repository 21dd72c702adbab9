import Foundation
import JWTKit
import TaskCore

/// Access tokens as JWTs signed with HMAC-SHA256: claims `sub` (the user id), `iat`, `exp`, `iss`.
///
/// Verification refuses any token whose header names another algorithm than HS256 (so `alg: none` and
/// algorithm confusion are refused before any key is used), a bad signature, an expired token, one issued in the
/// future or not yet valid (`nbf`), and one from another issuer. Whether the user may still use it is decided by
/// `SessionService.caller(for:)`.
///
/// Every time check reads the injected clock (`now`), never the system's: jwt-kit's own claim checks read the
/// real clock, so `AccessClaims.verify(using:)` leaves them to `verify(_:)`.
public struct JWTAccessTokens: AccessTokenIssuer, AccessTokenVerifier {
    /// How long a new token is valid (30 minutes by default).
    public let lifetime: Duration
    /// The `iss` claim written and required.
    public let issuer: String
    private let keys: JWTKeyCollection
    private let now: Now
    /// The claims of tokens verified before, by their text.
    let verified: VerifiedClaimsCache

    /// The shortest secret accepted, in bytes.
    public static let minimumSecretBytes = 32
    /// How far a token's `iat` or `nbf` may lie in the future, for clocks that disagree a little.
    static let leeway: TimeInterval = 60

    /// Creates the signer and verifier.
    /// - Throws: `TokenConfigurationError` when the secret is shorter than 32 bytes.
    public init(
        secret: String, issuer: String = "taskd", lifetime: Duration = .seconds(30 * 60),
        now: @escaping Now = systemNow,
        cacheCapacity: Int = 10_000
    ) async throws {
        guard secret.utf8.count >= Self.minimumSecretBytes else {
            throw TokenConfigurationError("the JWT secret must be at least \(Self.minimumSecretBytes) bytes")
        }
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.keys = keys
        self.issuer = issuer
        self.lifetime = lifetime
        self.now = now
        verified = VerifiedClaimsCache(capacity: cacheCapacity)
    }

    /// A signed token for `userID`, issued at `issuedAt` and valid for `lifetime`.
    public func issueAccessToken(for userID: UserID, issuedAt: Date) async throws -> String {
        let claims = AccessClaims(
            sub: SubjectClaim(value: userID.description), iat: IssuedAtClaim(value: issuedAt),
            exp: ExpirationClaim(value: issuedAt.addingTimeInterval(lifetime.seconds)), iss: IssuerClaim(value: issuer),
            nbf: nil)
        return try await keys.sign(claims)
    }

    /// Checks a token and returns what it says. A token verified before is not decoded and verified again (see
    /// `VerifiedClaimsCache`); its times are checked each time.
    /// - Throws: `DomainError.unauthenticated` for any token that is not acceptable.
    public func verify(_ token: String) async throws -> VerifiedAccessToken {
        let at = now()
        let claims: VerifiedClaimsCache.Claims
        if let known = verified.claims(of: token) {
            claims = known
        } else {
            claims = try await verifiedClaims(of: token, at: at)
        }
        guard claims.expiresAt > at, claims.issuedAt.timeIntervalSince(at) <= Self.leeway,
            (claims.notBefore?.timeIntervalSince(at) ?? 0) <= Self.leeway
        else { throw DomainError.unauthenticated }
        return VerifiedAccessToken(
            userID: claims.userID, issuedAt: claims.issuedAt.truncatedToMilliseconds,
            expiresAt: claims.expiresAt.truncatedToMilliseconds)
    }

    /// The claims of `token` once its algorithm, signature, issuer and subject are checked, kept for the next
    /// time. - Throws: `DomainError.unauthenticated` when any of them fails.
    private func verifiedClaims(of token: String, at: Date) async throws -> VerifiedClaimsCache.Claims {
        guard JWSHeader.algorithm(of: token) == "HS256" else { throw DomainError.unauthenticated }
        let decoded: AccessClaims
        do {
            decoded = try await keys.verify(token, as: AccessClaims.self)
        } catch {
            throw DomainError.unauthenticated
        }
        guard decoded.iss.value == issuer, let userID = UserID(decoded.sub.value) else {
            throw DomainError.unauthenticated
        }
        let claims = VerifiedClaimsCache.Claims(
            userID: userID, issuedAt: decoded.iat.value, expiresAt: decoded.exp.value, notBefore: decoded.nbf?.value)
        verified.keep(claims, of: token, at: at)
        return claims
    }
}

/// The claims of an access token.
struct AccessClaims: JWTPayload {
    var sub: SubjectClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    var iss: IssuerClaim
    var nbf: NotBeforeClaim?

    /// Checks nothing: jwt-kit would check `exp` against the system clock, and taskd keeps one clock, the injected
    /// one, which `JWTAccessTokens.verify(_:)` reads for `exp`, `iat` and `nbf`.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// A token setting that cannot work.
public struct TokenConfigurationError: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
