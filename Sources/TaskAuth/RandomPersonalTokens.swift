import Foundation
import TaskCore

/// Personal access tokens whose 30 random base62 characters (178 bits) come from the system's secure random
/// source; the store keeps only their SHA-256.
public struct RandomPersonalTokens: PersonalTokenMinter {
    /// Creates the minter.
    public init() {}

    /// A new token (`tdp_` + 30 random characters + checksum) and its SHA-256 digest.
    public func mint() -> (token: String, digest: String) {
        var generator = SystemRandomNumberGenerator()
        let alphabet = PersonalTokenText.alphabet
        let random = (0..<PersonalTokenText.randomLength).map { _ in
            alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
        }
        let token = PersonalTokenText.token(random: String(decoding: random, as: UTF8.self))
        return (token, digest(of: token))
    }

    /// The hex SHA-256 of `token`.
    public func digest(of token: String) -> String {
        SHA256Hex.digest(of: token)
    }
}
