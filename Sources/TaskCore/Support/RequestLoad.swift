import Synchronization

/// How many API requests are being handled right now. The HTTP layer counts them; background work that shares the
/// machine with the API (the webhook delivery worker) reads the count and runs less of itself while the API is
/// busy. Requests that wait by design (an event feed's long poll, an event stream) are not counted: they are
/// waiting, not working.
public final class RequestLoad: Sendable {
    private let running = Atomic<Int>(0)

    /// A gauge that reads zero.
    public init() {}

    /// The requests being handled now.
    public var inFlight: Int { running.load(ordering: .relaxed) }

    /// Runs `body` as one request in flight.
    public func counting<Value: Sendable>(_ body: () async throws -> Value) async rethrows -> Value {
        running.add(1, ordering: .relaxed)
        defer { running.subtract(1, ordering: .relaxed) }
        return try await body()
    }
}
