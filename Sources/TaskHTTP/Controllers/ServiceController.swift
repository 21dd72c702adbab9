import Hummingbird
import NIOCore
import TaskCore

/// `/`, `/health`, `/health/ready`, `/metrics`, `/openapi.yaml`, `/docs`: open to anyone.
struct ServiceController: Sendable {
    let store: any DataStore
    let events: EventFeedService
    let configuration: HTTPConfiguration
    let metrics: HTTPMetrics
    let load: RequestLoad

    var routes: [Route] {
        [
            .open(.get, "/", root),
            .open(.get, "/health", health),
            .open(.get, "/health/ready", readiness),
            .open(.get, "/metrics", prometheus),
            .open(.get, "/openapi.yaml", document),
            .open(.get, "/docs", documentPage),
        ]
    }

    func root(_ request: Request, _ context: TaskRequestContext) async throws -> Response {
        try Responses.json(["name": "taskd", "version": configuration.version])
    }

    func health(_ request: Request, _ context: TaskRequestContext) async throws -> Response {
        try Responses.json(["status": "ok"])
    }

    func readiness(_ request: Request, _ context: TaskRequestContext) async throws -> Response {
        guard await store.isReady() else { throw DomainError.storeUnavailable }
        return try Responses.json(["status": "ready"])
    }

    func prometheus(_ request: Request, _ context: TaskRequestContext) async throws -> Response {
        metrics.registry.makeGauge(
            descriptor: .init(
                metricName: "taskd_event_readers", unitName: "waiting",
                helpText: "Event streams and long polls waiting for an event now")
        ).set(Double(events.waitingReaders))
        metrics.registry.makeGauge(
            descriptor: .init(
                metricName: "taskd_requests_in_flight",
                helpText: "API requests being handled now, this scrape included and event feeds left out")
        ).set(Double(load.inFlight))
        // Counted in the store, so every process of a fleet shows the whole fleet's figures. Left out when the store
        // cannot be reached: the scrape still answers.
        if let counts = try? await store.transaction({ tx in try await tx.deliveryCounts() }) {
            for (name, help, value) in [
                ("taskd_webhook_deliveries_queued", "Webhook deliveries waiting for an attempt", counts.pending),
                (
                    "taskd_webhook_deliveries_failed", "Webhook deliveries that failed, of the 30 days kept",
                    counts.failed
                ),
                ("taskd_webhooks_disabled", "Webhooks that are disabled", counts.disabledWebhooks),
            ] {
                metrics.registry.makeGauge(descriptor: .init(metricName: name, helpText: help)).set(Double(value))
            }
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
    }

    func document(_ request: Request, _ context: TaskRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
    }

    func documentPage(_ request: Request, _ context: TaskRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.html)))
    }
}
