import Foundation

/// How webhooks are delivered: the operator's settings, with the contract's defaults.
public struct WebhookDeliverySettings: Sendable, Equatable {
    /// The waits before each retry, in seconds (`TASKD_WEBHOOK_RETRY_SCHEDULE`); after the last one, the delivery
    /// fails.
    public var retrySchedule: [TimeInterval] = [5, 30, 300, 1800, 7200, 28800, 86400]
    /// How much each wait may be longer or shorter, as a fraction of it.
    public var jitter = 0.2
    /// The longest wait a receiver's `Retry-After` may ask for, in seconds.
    public var longestRetryAfter: TimeInterval = 86400
    /// How long an attempt may take, in seconds (`TASKD_WEBHOOK_TIMEOUT`).
    public var timeout: TimeInterval = 10
    /// How long every attempt to a webhook may fail before it is disabled, in seconds
    /// (`TASKD_WEBHOOK_DISABLE_AFTER`).
    public var disableAfter: TimeInterval = 3 * 24 * 60 * 60
    /// How many attempts run at once in one process (`TASKD_WEBHOOK_CONCURRENCY`). More delivers a backlog faster;
    /// fewer leaves more of a busy machine to the API.
    public var concurrency = 16
    /// How many attempts run at once while the API is busy (`TASKD_WEBHOOK_BUSY_CONCURRENCY`): deliveries are
    /// asynchronous and retried, requests have a client waiting, so while the machine is saturated by requests the
    /// worker leaves most of it to them. Equal to `concurrency`, the worker never yields.
    public var busyConcurrency = 4
    /// The API is busy while at least this many requests are in flight (`RequestLoad`).
    public var busyRequests = 8

    /// The defaults of the contract.
    public init() {}

    /// How long a claimed delivery stays with its claimer: the attempt's time, and a margin for recording it
    /// (longer than a request may wait for the database). A process that dies mid-attempt leaves the delivery to
    /// another one after this.
    public var lease: TimeInterval { timeout + 10 }

    /// How many attempts may be in flight while `requestsInFlight` API requests are: `concurrency`, or
    /// `busyConcurrency` (never more than `concurrency`, never less than one) while the API is busy.
    public func attemptLimit(requestsInFlight: Int) -> Int {
        guard requestsInFlight >= busyRequests else { return max(1, concurrency) }
        return max(1, min(busyConcurrency, concurrency))
    }

    /// Reads `TASKD_WEBHOOK_RETRY_SCHEDULE`: comma-separated seconds, each 1...604800, at most 20 of them.
    /// - Throws: `DomainError.validation` naming the setting.
    public static func retrySchedule(from text: String) throws -> [TimeInterval] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let waits = parts.compactMap { Int($0) }
        guard !parts.isEmpty, parts.count <= 20, waits.count == parts.count,
            waits.allSatisfy({ (1...604_800).contains($0) })
        else {
            throw DomainError.invalid(
                "TASKD_WEBHOOK_RETRY_SCHEDULE", "must be 1 to 20 comma-separated whole seconds, each 1 to 604800")
        }
        return waits.map(TimeInterval.init)
    }
}
