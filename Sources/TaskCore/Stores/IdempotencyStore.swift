import Foundation

/// The recorded answers of requests sent with an idempotency key, inside a transaction.
///
/// A claim is a row written in the transaction of the change it guards: while that transaction runs, another
/// claim of the same key waits for it; when it commits, the row holds the answer; when it rolls back, the row is
/// gone and the key is free again. Nothing is left locked by a process that dies.
public protocol IdempotencyStore: Sendable {
    /// Claims `request`'s key for its user, at `at`: writes a record without an answer, or finds the record a
    /// committed request left. Waits at most `wait` for a transaction that holds a claim of the same key.
    func claimIdempotencyKey(_ request: IdempotentRequest, at: Date, waitingAtMost wait: Duration) async throws
        -> IdempotencyClaim
    /// Stores the answer of the request whose key this transaction claimed.
    func recordIdempotentAnswer(_ answer: RecordedAnswer, for request: IdempotentRequest) async throws
    /// Deletes the records claimed before `before`.
    func deleteIdempotencyRecords(before: Date) async throws
}

/// One request sent with an idempotency key: whose key it is and what the request was.
public struct IdempotentRequest: Sendable, Equatable {
    /// The caller; keys of two users never collide.
    public var userID: UserID
    /// The key as the client sent it (without quotes).
    public var key: String
    /// A digest of what identifies the request (its method, path, query and body bytes), so that the same key on
    /// another request is told apart.
    public var fingerprint: String

    /// Creates a request.
    public init(userID: UserID, key: String, fingerprint: String) {
        self.userID = userID
        self.key = key
        self.fingerprint = fingerprint
    }
}

/// The answer a request got, recorded to be given again to a retry with the same key.
public struct RecordedAnswer: Sendable, Equatable {
    /// The status code.
    public var status: Int
    /// The `Content-Type` header, if any.
    public var contentType: String?
    /// The `Location` header, if any.
    public var location: String?
    /// The `ETag` header, if any.
    public var eTag: String?
    /// The body bytes.
    public var body: [UInt8]

    /// Creates an answer.
    public init(status: Int, contentType: String? = nil, location: String? = nil, eTag: String? = nil, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.location = location
        self.eTag = eTag
        self.body = body
    }
}

/// What claiming a key found.
public enum IdempotencyClaim: Sendable, Equatable {
    /// The key was free and is now this transaction's.
    case claimed
    /// An earlier request with this key committed this answer; `fingerprint` tells which request it was.
    case answered(fingerprint: String, answer: RecordedAnswer)
    /// Another transaction holds the key and did not finish within the wait.
    case inUse
}
