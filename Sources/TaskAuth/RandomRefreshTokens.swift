import Crypto
import Foundation
import TaskCore

/// Refresh tokens of 256 bits from the system's secure random source; the store keeps only their SHA-256.
public struct RandomRefreshTokens: RefreshTokenMinter {
    /// Creates the minter.
    public init() {}

    /// A new token of 256 random bits (base64url) and its SHA-256 digest.
    public func mint() -> (token: String, digest: String) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = Data(bytes).base64URLEncoded
        return (token, digest(of: token))
    }

    /// The hex SHA-256 of `token`.
    public func digest(of token: String) -> String {
        SHA256Hex.digest(of: token)
    }
}
