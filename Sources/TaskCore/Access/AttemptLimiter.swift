import Foundation

/// Limits the attempts that cost a password hash or guess a secret: logins, password changes, registrations.
///
/// An attempt is counted before it is checked, in one transaction that holds each key's lock: the failures in the
/// window are counted and, when another attempt is allowed, this one is recorded at once as a failure. So however
/// many attempts run in parallel, at most `limit` of them are ever let through within a window; the rest are
/// refused without being counted. A success forgets its own record (`forget`); a login also clears its email's
/// whole count.
struct AttemptLimiter: Sendable {
    let store: any DataStore

    /// One key and the limit that applies to it.
    struct Key: Sendable, Hashable {
        let name: String
        let throttle: LoginThrottle

        static func == (lhs: Key, rhs: Key) -> Bool { lhs.name == rhs.name }
        func hash(into hasher: inout Hasher) { hasher.combine(name) }
    }

    /// Records one attempt at `at` under every key, or none when any key is over its limit.
    /// - Throws: `.tooManyAttempts` with the longest wait among the keys over their limit.
    func reserve(_ keys: [Key], at: Date) async throws {
        // Locks are always taken in the same order, so that two reservations never wait for each other.
        let ordered = Set(keys).sorted { $0.name < $1.name }
        let wait = try await store.transaction { tx -> Int? in
            var longest: Int?
            for key in ordered {
                try await tx.lockAttempts(key: key.name)
                let failures = try await tx.loginFailures(key: key.name, since: key.throttle.windowStart(at: at))
                if let wait = key.throttle.retryAfter(failures: failures, at: at) { longest = max(longest ?? 0, wait) }
            }
            if let longest { return longest }
            for key in ordered { try await tx.recordLoginFailure(key: key.name, at: at) }
            return nil
        }
        if let wait { throw DomainError.tooManyAttempts(retryAfterSeconds: wait) }
    }

    /// Forgets the attempt recorded at `at` under `key`: it succeeded, or failed for a reason that is not a guess.
    func forget(_ key: Key, at: Date) async throws {
        try await store.transaction { tx in try await tx.deleteLoginFailure(key: key.name, at: at) }
    }
}
