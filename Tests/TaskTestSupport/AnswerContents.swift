import TaskCore

/// A recorded answer with its body made, and the fingerprint it was stored with: a value tests compare.
public struct AnswerContents: Equatable, Sendable {
    /// The fingerprint of the request the answer was stored for, when it was stored.
    public var fingerprint: String?
    /// The status code.
    public var status: Int
    /// The `Content-Type` header, if any.
    public var contentType: String?
    /// The `Location` header, if any.
    public var location: String?
    /// The `ETag` header, if any.
    public var eTag: String?
    /// The body's bytes.
    public var body: [UInt8]
}

extension RecordedAnswer {
    /// The answer's parts, its body made.
    public func contents(fingerprint: String? = nil) async throws -> AnswerContents {
        AnswerContents(
            fingerprint: fingerprint, status: status, contentType: contentType, location: location, eTag: eTag,
            body: try await body.bytes())
    }
}

extension StoredIdempotentAnswer {
    /// The stored answer's parts, its body made.
    public func contents() async throws -> AnswerContents {
        try await answer.contents(fingerprint: fingerprint)
    }
}
