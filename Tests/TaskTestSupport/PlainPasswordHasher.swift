import TaskCore

/// A fast stand-in for the real hasher: "hashes" by prefixing, so use-case tests need no bcrypt time.
public struct PlainPasswordHasher: PasswordHasher {
    /// Creates the hasher.
    public init() {}

    /// `plain:` and the password.
    public func hash(_ password: String) async throws -> String { "plain:" + password }

    /// Whether `hash` is `plain:` and the password.
    public func verify(_ password: String, against hash: String) async -> Bool { hash == "plain:" + password }

    /// A hash no password matches.
    public var unknownUserHash: String { "plain-unknown" }
}
