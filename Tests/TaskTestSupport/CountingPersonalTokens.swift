import Synchronization
import TaskCore

/// Personal access tokens for tests: well-formed (marker, 30 base62 characters, checksum) and numbered, so that a run
/// makes the same tokens each time. Its digest is a readable stand-in, not SHA-256: the stores only compare it.
public final class CountingPersonalTokens: PersonalTokenMinter {
    private let count = Mutex(0)

    /// Creates a minter whose first token is number 1.
    public init() {}

    /// The next numbered token and its digest.
    public func mint() -> (token: String, digest: String) {
        let number = count.withLock { value in
            value += 1
            return value
        }
        let digits = String(number)
        let token = PersonalTokenText.token(
            random: String(repeating: "0", count: PersonalTokenText.randomLength - digits.count) + digits)
        return (token, digest(of: token))
    }

    /// `digest:` and the token.
    public func digest(of token: String) -> String {
        "digest:" + token
    }
}
