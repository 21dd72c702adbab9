import HTTPTypes

extension HTTPField.Name {
    /// `X-Request-ID`: the id of a request, taken from the client or made, and echoed.
    static let requestID = token("X-Request-ID")
    /// `X-Forwarded-For`: the client addresses a proxy saw.
    static let forwardedFor = token("X-Forwarded-For")
    /// `Idempotency-Key`: the client's key that makes a retried `POST` or `PATCH` run once.
    static let idempotencyKey = token("Idempotency-Key")
    /// `Idempotent-Replayed: true`: this answer is the recorded answer of an earlier request with the same key.
    static let idempotentReplayed = token("Idempotent-Replayed")
    /// `Last-Event-ID`: the `id` of the last event an event stream's client received, sent when it reconnects.
    static let lastEventID = token("Last-Event-ID")
    /// `X-Accel-Buffering: no`: asks a proxy in front (nginx) not to buffer an event stream.
    static let accelBuffering = token("X-Accel-Buffering")

    /// A field name from a literal made of token characters, which `HTTPField.Name` always accepts; the
    /// fallback only keeps the initialiser free of a force unwrap.
    private static func token(_ name: String) -> HTTPField.Name {
        HTTPField.Name(name) ?? .via
    }
}
