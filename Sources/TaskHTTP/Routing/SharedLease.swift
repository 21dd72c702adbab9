import HTTPTypes
import Hummingbird
import TaskCore

/// Runs an authenticated read whole (the caller's look-up and the use case's reads) in one store transaction, so
/// that on PostgreSQL its statements share one pooled connection: one lease per request instead of one per
/// statement group. A read sends no `BEGIN`, so the transaction costs no round trip of its own.
///
/// Reads only. A write's use cases run transactions of their own, and idempotent retries depend on that (a refused
/// change is recorded in a transaction after the failed one). The event feeds are left out too: a long poll or a
/// stream may wait for half a minute, and must not hold a connection while it waits.
struct SharedLease: Sendable {
    let store: any DataStore

    /// Whether requests of the route run in one transaction.
    static func applies(to method: HTTPRequest.Method, path: String) -> Bool {
        method == .get && !path.hasSuffix("/events")
    }

    /// `body`, inside one store transaction.
    func run(_ body: @escaping @Sendable () async throws -> Response) async throws -> Response {
        try await store.transaction { _ in try await body() }
    }
}
