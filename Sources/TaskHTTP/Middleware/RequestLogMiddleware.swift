import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Prometheus
import Synchronization
import TaskCore

/// Gives each request an id (from `X-Request-ID` when it is sane, else a new UUID), echoes it, writes one
/// access-log line (request id, method, route, status, duration; never a header value or a body), and counts the
/// request in Prometheus by route and status.
///
/// The request id goes into each log line's own metadata rather than the context logger's: setting logger
/// metadata makes swift-log's stream handler reformat it, on every request, even when nothing is logged.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = TaskRequestContext
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let given = request.headers[.requestID] ?? ""
        let isSane =
            (1...128).contains(given.count)
            && given.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }
        context.requestID = isSane ? given : UUIDText.lowercased(UUIDText.random())
        let started = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        response.headers[.requestID] = context.requestID
        let route = context.endpointPath ?? "unmatched"
        context.logger.info(
            "request",
            metadata: [
                "request_id": "\(context.requestID)", "method": "\(request.method.rawValue)", "route": "\(route)",
                "status": "\(response.status.code)",
                "duration_ms":
                    "\(String(format: "%.2f", Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000))",
            ])
        metrics.record(method: request.method.rawValue, route: route, status: response.status.code, duration: elapsed)
        return response
    }
}

/// The HTTP metrics exported at `/metrics`.
public struct HTTPMetrics: Sendable {
    /// The registry `/metrics` prints.
    public let registry: PrometheusCollectorRegistry
    private let instruments = Instruments()

    /// Creates the metrics on `registry` (one per application, so that tests do not share counts).
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
    ]

    func record(method: String, route: String, status: Int, duration: Duration) {
        let key = InstrumentKey(method: method, route: route, status: status)
        let found = instruments.table.withLock { $0[key] }
        let (counter, histogram) = found ?? made(for: key)
        counter.increment()
        histogram.record(duration)
    }

    /// The counter and histogram of `key`, made in the registry (which gives the existing ones for labels it has
    /// seen) and kept.
    private func made(for key: InstrumentKey) -> (Counter, DurationHistogram) {
        let counter = registry.makeCounter(
            descriptor: .init(
                metricName: "http_requests", unitName: "total", helpText: "HTTP requests by route and status"),
            labels: [("method", key.method), ("route", key.route), ("status", String(key.status))])
        let histogram = registry.makeDurationHistogram(
            descriptor: .init(
                metricName: "http_request_duration", unitName: "seconds", helpText: "HTTP request latency"),
            labels: [("method", key.method), ("route", key.route)], buckets: Self.buckets)
        instruments.table.withLock { $0[key] = (counter, histogram) }
        return (counter, histogram)
    }

    /// What a request is counted by.
    private struct InstrumentKey: Hashable, Sendable {
        let method: String
        let route: String
        let status: Int
    }

    /// The instruments made so far, by what they count (a route template or "unmatched", so a bounded set): a
    /// request finds its own with one look-up instead of building the metric's name and labels and looking them up
    /// in the registry twice.
    private final class Instruments: Sendable {
        let table = Mutex<[InstrumentKey: (Counter, DurationHistogram)]>([:])
    }
}
