import Foundation
import Synchronization

/// The recorded answers of requests sent with an idempotency key, inside a transaction.
///
/// An answer is recorded by inserting its row in the transaction of the change it answers. The key is unique per
/// user, so of two requests with one key that run at once, the second's insert waits for the first's transaction:
/// when that commits, the second finds the key taken (and rolls back its own change); when it rolls back, the
/// second's insert goes ahead. Nothing is left locked by a process that dies.
public protocol IdempotencyStore: Sendable {
    /// Records `answer` for `request`'s key, made at `at`, unless the key already has a committed record. Waits
    /// for a transaction that is recording an answer under the same key.
    /// - Returns: whether it was recorded; `false` when the key has a record already.
    /// - Throws: `IdempotencyKeyBusy` when the wait for another transaction ran out.
    func recordIdempotentAnswer(_ answer: RecordedAnswer, for request: IdempotentRequest, at: Date) async throws -> Bool
    /// The answer recorded under a user's key, with the fingerprint of the request it answered; `nil` when none is.
    func idempotentAnswer(userID: UserID, key: String) async throws -> StoredIdempotentAnswer?
    /// Deletes up to `limit` of the records made before `before`, and returns how many it deleted (the memory
    /// store may delete them all at once); the caller repeats while a batch comes back full.
    func deleteIdempotencyRecords(before: Date, limit: Int) async throws -> Int
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
public struct RecordedAnswer: Sendable {
    /// The status code.
    public var status: Int
    /// The `Content-Type` header, if any.
    public var contentType: String?
    /// The `Location` header, if any.
    public var location: String?
    /// The `ETag` header, if any.
    public var eTag: String?
    /// The body: its bytes, or the function that makes them once the change has committed.
    public var body: AnswerBody

    /// Creates an answer whose body may still have to be made.
    public init(
        status: Int, contentType: String? = nil, location: String? = nil, eTag: String? = nil, body: AnswerBody
    ) {
        self.status = status
        self.contentType = contentType
        self.location = location
        self.eTag = eTag
        self.body = body
    }

    /// Creates an answer with its body's bytes.
    public init(status: Int, contentType: String? = nil, location: String? = nil, eTag: String? = nil, body: [UInt8]) {
        self.init(status: status, contentType: contentType, location: location, eTag: eTag, body: AnswerBody(body))
    }
}

/// A recorded answer's body. Its bytes are given, or made by a function of the answer's value the first time they
/// are asked for and kept from then on.
///
/// The function lets a store record an answer in its change's transaction without encoding it there: the memory
/// store runs changes one at a time, so an encoding inside the transaction would hold up every other change. The
/// function must be pure (a value encoded, nothing read): a replay may call it and must get the bytes the first
/// answer got.
public final class AnswerBody: Sendable {
    private enum State {
        case pending(@Sendable () async throws -> [UInt8])
        case made([UInt8])
    }

    private let state: Mutex<State>

    /// A body of `bytes`.
    public init(_ bytes: [UInt8]) {
        state = Mutex(.made(bytes))
    }

    /// A body that `make` makes when first asked for.
    public init(making make: @escaping @Sendable () async throws -> [UInt8]) {
        state = Mutex(.pending(make))
    }

    /// The bytes, made now if they were not yet. Two callers at once may both run the function; the first result
    /// kept is the one every later caller gets.
    public func bytes() async throws -> [UInt8] {
        let make: @Sendable () async throws -> [UInt8]
        switch state.withLock({ $0 }) {
        case .made(let bytes): return bytes
        case .pending(let function): make = function
        }
        let bytes = try await make()
        return state.withLock { state in
            if case .made(let earlier) = state { return earlier }
            state = .made(bytes)
            return bytes
        }
    }
}

/// A recorded answer with the fingerprint of the request it answered.
public struct StoredIdempotentAnswer: Sendable {
    /// The fingerprint of the request that got the answer.
    public var fingerprint: String
    /// The answer.
    public var answer: RecordedAnswer

    /// Creates a stored answer.
    public init(fingerprint: String, answer: RecordedAnswer) {
        self.fingerprint = fingerprint
        self.answer = answer
    }
}

/// Thrown by `recordIdempotentAnswer` when another transaction held the key for longer than the store waits.
public struct IdempotencyKeyBusy: Error, Sendable, Equatable {
    /// Creates the error.
    public init() {}
}
