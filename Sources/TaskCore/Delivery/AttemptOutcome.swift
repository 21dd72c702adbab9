import Foundation

/// How one attempt to deliver ended, as the sender saw it.
public enum AttemptOutcome: Sendable, Equatable {
    /// The receiver answered with `status`; `retryAfter` is its `Retry-After`, in seconds, if it sent one.
    case answered(status: Int, retryAfter: TimeInterval?)
    /// No answer came: the URL was refused, the connection failed, or the time ran out. `reason` is for people.
    case failed(reason: String)
    /// The delivery can never be made (its event is no longer retained): it fails without retries.
    case undeliverable(reason: String)

    /// Whether the attempt succeeded: a `2xx` answer.
    public var isSuccess: Bool {
        if case .answered(let status, _) = self { return (200...299).contains(status) }
        return false
    }
}
