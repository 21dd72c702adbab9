/// Turns passwords into stored hashes and checks them; implemented by TaskAuth with the system's libxcrypt.
public protocol PasswordHasher: Sendable {
    /// A new salted hash of `password` in crypt(3) form.
    func hash(_ password: String) async throws -> String
    /// Whether `password` matches `hash`; `false` for a hash the implementation cannot read.
    func verify(_ password: String, against hash: String) async -> Bool
    /// A hash of a password nobody knows, made with the current settings: verifying against it when an email is
    /// unknown makes a failed login cost the same whether or not the account exists.
    var unknownUserHash: String { get }
}
