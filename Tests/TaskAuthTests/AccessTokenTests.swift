import Foundation
import JWTKit
import Synchronization
import TaskCore
import Testing

@testable import TaskAuth

@Suite("JWT access tokens")
struct AccessTokenTests {
    static let secret = String(repeating: "s", count: 32)
    static let now = Date(timeIntervalSince1970: 1_795_341_600)
    static let user = UserID(UUID())

    func tokens(secret: String = secret, issuer: String = "taskd", at instant: Date = now) async throws
        -> JWTAccessTokens
    {
        try await JWTAccessTokens(secret: secret, issuer: issuer, now: { instant })
    }

    static func segment(_ json: String) -> String { Data(json.utf8).base64URLEncoded }

    @Test("a token it signed verifies, naming the user, the issue time and the expiry")
    func roundTrip() async throws {
        let service = try await tokens()
        let token = try await service.issueAccessToken(for: Self.user, issuedAt: Self.now)
        let verified = try await service.verify(token)
        #expect(
            verified
                == VerifiedAccessToken(
                    userID: Self.user, issuedAt: Self.now, expiresAt: Self.now.addingTimeInterval(30 * 60)))
        #expect(JWSHeader.algorithm(of: token) == "HS256")
    }

    @Test(
        "expiry is judged by the injected clock alone, whatever the system's date",
        arguments: [
            Date(timeIntervalSince1970: 631_152_000),  // 1990
            Date(timeIntervalSince1970: 5_680_281_600),  // 2150
        ])
    func injectedClockOnly(_ instant: Date) async throws {
        let service = try await tokens(at: instant)
        let token = try await service.issueAccessToken(for: Self.user, issuedAt: instant)
        #expect(try await service.verify(token).userID == Self.user)
        let later = try await tokens(at: instant.addingTimeInterval(31 * 60))
        await #expect(throws: DomainError.unauthenticated) { try await later.verify(token) }
    }

    @Test("the header's algorithm is read from any spelling of the header")
    func headerSpellings() {
        #expect(JWSHeader.algorithm(of: "\(Self.segment(#"{"alg":"HS256","typ":"JWT"}"#)).e30.sig") == "HS256")
        #expect(JWSHeader.algorithm(of: "\(Self.segment(#"{"typ":"JWT","alg":"HS256"}"#)).e30.sig") == "HS256")
        #expect(JWSHeader.algorithm(of: "\(Self.segment(#"{"typ":"JWT","alg":"HS384"}"#)).e30.sig") == "HS384")
        #expect(JWSHeader.algorithm(of: "\(Self.segment(#"{"alg":"HS256","typ":"JWT"}"#))") == nil)
    }

    @Test("alg: none is refused")
    func algNone() async throws {
        let service = try await tokens()
        let payload = Self.segment(#"{"sub":"\#(Self.user)","iat":1795341600,"exp":1895341600,"iss":"taskd"}"#)
        for header in [#"{"alg":"none","typ":"JWT"}"#, #"{"alg":"None"}"#] {
            await #expect(throws: DomainError.unauthenticated) {
                try await service.verify("\(Self.segment(header)).\(payload).")
            }
        }
    }

    @Test("another algorithm in the header is refused even with a valid HS256 signature")
    func otherAlgorithm() async throws {
        let service = try await tokens()
        let token = try await service.issueAccessToken(for: Self.user, issuedAt: Self.now)
        let parts = token.split(separator: ".")
        let forged = "\(Self.segment(#"{"alg":"HS512","typ":"JWT"}"#)).\(parts[1]).\(parts[2])"
        await #expect(throws: DomainError.unauthenticated) { try await service.verify(forged) }
    }

    @Test("a token signed with another secret is refused")
    func badSignature() async throws {
        let other = try await tokens(secret: String(repeating: "x", count: 40))
        let token = try await other.issueAccessToken(for: Self.user, issuedAt: Self.now)
        await #expect(throws: DomainError.unauthenticated) { try await (try await tokens()).verify(token) }
        await #expect(throws: DomainError.unauthenticated) { try await (try await tokens()).verify("not.a.token") }
    }

    @Test("expired, issued in the future, and not-yet-valid tokens are refused")
    func times() async throws {
        let service = try await tokens()
        let old = try await service.issueAccessToken(for: Self.user, issuedAt: Self.now.addingTimeInterval(-31 * 60))
        await #expect(throws: DomainError.unauthenticated) { try await service.verify(old) }
        let future = try await service.issueAccessToken(for: Self.user, issuedAt: Self.now.addingTimeInterval(600))
        await #expect(throws: DomainError.unauthenticated) { try await service.verify(future) }
        let claims = AccessClaims(
            sub: .init(value: Self.user.description), iat: .init(value: Self.now),
            exp: .init(value: Self.now.addingTimeInterval(900)),
            iss: .init(value: "taskd"), nbf: .init(value: Self.now.addingTimeInterval(600)))
        let notYet = try await JWTAccessTokensSigner.sign(claims, secret: Self.secret)
        await #expect(throws: DomainError.unauthenticated) { try await service.verify(notYet) }
    }

    @Test("a token of another issuer is refused")
    func issuer() async throws {
        let token = try await (try await tokens(issuer: "someone-else")).issueAccessToken(
            for: Self.user, issuedAt: Self.now)
        await #expect(throws: DomainError.unauthenticated) { try await (try await tokens()).verify(token) }
    }

    @Test("a secret shorter than 32 bytes is refused")
    func shortSecret() async throws {
        await #expect(throws: TokenConfigurationError.self) { try await JWTAccessTokens(secret: "short") }
    }

    @Test("refresh tokens: 256 random bits, stored as a SHA-256 digest")
    func refreshTokens() {
        let minter = RandomRefreshTokens()
        let (token, digest) = minter.mint()
        #expect(Data(base64URLEncoded: token)?.count == 32)
        #expect(digest.count == 64 && digest == minter.digest(of: token) && !digest.contains(token))
        #expect(minter.mint().token != token)
    }

    @Test("a token verified before is not verified again, but its times are checked against the clock on every use")
    func verifiedBefore() async throws {
        let clock = Mutex(Self.now)
        let service = try await JWTAccessTokens(secret: Self.secret, now: { clock.withLock { $0 } })
        let token = try await service.issueAccessToken(for: Self.user, issuedAt: Self.now)
        #expect(try await service.verify(token).userID == Self.user)
        #expect(service.verified.count == 1)
        #expect(try await service.verify(token).userID == Self.user, "from what was kept")
        clock.withLock { $0 = Self.now.addingTimeInterval(31 * 60) }
        await #expect(throws: DomainError.unauthenticated) { try await service.verify(token) }
        clock.withLock { $0 = Self.now.addingTimeInterval(-2 * 60) }
        await #expect(throws: DomainError.unauthenticated, "issued in the future") { try await service.verify(token) }

        // Another text is another token: a copy with a changed signature is refused, and not kept.
        // A character in the middle of the signature: the last one carries two padding bits, which some changes
        // leave out of the decoded bytes.
        var characters = Array(token)
        let middle = characters.count - 10
        characters[middle] = characters[middle] == "A" ? "B" : "A"
        let altered = String(characters)
        clock.withLock { $0 = Self.now }
        await #expect(throws: DomainError.unauthenticated) { try await service.verify(altered) }
        #expect(service.verified.count == 1)
    }

    @Test("at most the cache's capacity of tokens is kept; each token verifies whatever was dropped")
    func bounded() async throws {
        let service = try await JWTAccessTokens(secret: Self.secret, now: { Self.now }, cacheCapacity: 2)
        var tokens: [String] = []
        for second in 0..<5 {
            tokens.append(
                try await service.issueAccessToken(
                    for: Self.user, issuedAt: Self.now.addingTimeInterval(-Double(second))))
        }
        for token in tokens + tokens { #expect(try await service.verify(token).userID == Self.user) }
        #expect(service.verified.count <= 2)
    }
}

/// Signs arbitrary claims with the shared secret, to craft tokens the service would never issue.
enum JWTAccessTokensSigner {
    static func sign(_ claims: AccessClaims, secret: String) async throws -> String {
        let keys = JWTKit.JWTKeyCollection()
        await keys.add(hmac: JWTKit.HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(claims)
    }

}
