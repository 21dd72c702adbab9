import Foundation
import Synchronization
import TaskCore

/// The claims of access tokens whose signature and issuer were checked, kept by the token's text so that a token a
/// client sends again and again is not decoded and verified each time: parsing the JWT's JSON and its HMAC cost
/// about 6% of taskd's CPU time per `GET /api/v1/tasks/{id}` (`docs/performance.md`).
///
/// Only what does not change with time is cached: the times are checked against the injected clock on every
/// use, and whether the user may still use the token is read with the request's record, as for any token. Only a
/// token whose signature verified gets in, and only by its exact text. At most `capacity` tokens are kept; when
/// it is full, the expired ones go, and when none has expired, all of them.
final class VerifiedClaimsCache: Sendable {
    /// What a verified token says.
    struct Claims: Sendable, Equatable {
        var userID: UserID
        var issuedAt: Date
        var expiresAt: Date
        var notBefore: Date?
    }

    /// At most this many tokens are kept.
    let capacity: Int
    private let entries = Mutex<[String: Claims]>([:])

    /// Creates an empty cache that keeps at most `capacity` tokens.
    init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// The claims of `token`, if it was verified before.
    func claims(of token: String) -> Claims? {
        entries.withLock { $0[token] }
    }

    /// Keeps the claims of a token whose signature and issuer were verified; when full, first drops the tokens
    /// expired at `at`, or every token when none has.
    func keep(_ claims: Claims, of token: String, at: Date) {
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expiresAt > at }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = claims
        }
    }

    /// How many tokens are kept; for tests.
    var count: Int { entries.withLock { $0.count } }
}
