import CCrypt
import Foundation
import NIOPosix
import TaskCore

/// Password hashing with the system's libxcrypt: new hashes are bcrypt (`$2b$`), and every hash libxcrypt
/// reads is verified (bcrypt `$2a$`/`$2b$`/`$2y$`, yescrypt `$y$`, ...), so accounts imported from other systems
/// can log in. Work runs on a thread pool, never on the caller's executor.
public struct CryptPasswordHasher: PasswordHasher {
    /// The bcrypt cost of new hashes (4...31; 12 by default).
    public let cost: Int
    /// A hash at `cost` of a random password, made once.
    public let unknownUserHash: String
    private let threadPool: NIOThreadPool

    /// The default bcrypt cost.
    public static let defaultCost = 12

    /// Creates a hasher. - Throws: `CryptError` when `cost` is outside 4...31 or libxcrypt fails.
    public init(cost: Int = defaultCost, threadPool: NIOThreadPool = .singleton) throws {
        guard (4...31).contains(cost) else { throw CryptError.invalidCost(cost) }
        self.cost = cost
        self.threadPool = threadPool
        let unknown = UUID().uuidString + UUID().uuidString
        unknownUserHash = try Self.hashNow(unknown, cost: cost)
    }

    /// A new `$2b$` hash of `password` at this hasher's cost, computed off the cooperative pool.
    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await threadPool.runIfActive { try Self.hashNow(password, cost: cost) }
    }

    /// Whether `password` matches `hash` (compared in constant time); `false` for a hash libxcrypt cannot read.
    public func verify(_ password: String, against hash: String) async -> Bool {
        (try? await threadPool.runIfActive { Self.verifyNow(password, against: hash) }) ?? false
    }

    /// Hashes on the current thread.
    static func hashNow(_ password: String, cost: Int) throws -> String {
        guard !password.utf8.contains(0), password.utf8.count <= 72 else { throw CryptError.unacceptablePassword }
        var setting = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        guard crypt_gensalt_rn("$2b$", UInt(cost), nil, 0, &setting, Int32(setting.count)) != nil else {
            throw CryptError.failed
        }
        guard let hash = crypt(password, setting: setting), hash.hasPrefix("$2b$") else { throw CryptError.failed }
        return hash
    }

    /// Verifies on the current thread, comparing in constant time. bcrypt reads only 72 bytes, so a longer
    /// password never matches a bcrypt hash (it would match any password sharing its first 72 bytes).
    static func verifyNow(_ password: String, against hash: String) -> Bool {
        if hash.hasPrefix("$2"), password.utf8.count > 72 { return false }
        guard !password.utf8.contains(0), !hash.isEmpty, !hash.utf8.contains(0),
            let computed = hash.withCString({ crypt(password, setting: $0) })
        else { return false }
        return constantTimeEquals(Array(computed.utf8), Array(hash.utf8))
    }

    /// `crypt_rn` with a zeroed work area of its own, so concurrent calls share nothing. `nil` on failure
    /// (libxcrypt answers a string starting with `*` then).
    private static func crypt(_ password: String, setting: UnsafePointer<CChar>) -> String? {
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        data.initialize(to: crypt_data())
        defer {
            data.deinitialize(count: 1)
            data.deallocate()
        }
        guard let result = crypt_rn(password, setting, data, Int32(MemoryLayout<crypt_data>.size)) else { return nil }
        let text = String(cString: result)
        return text.hasPrefix("*") ? nil : text
    }

    private static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}

/// Why libxcrypt hashing failed.
public enum CryptError: Error, Equatable, Sendable {
    /// The bcrypt cost is outside 4...31.
    case invalidCost(Int)
    /// The password holds a NUL or is longer than bcrypt's 72 bytes (it is never cut).
    case unacceptablePassword
    /// libxcrypt could not make a salt or a hash.
    case failed
}
