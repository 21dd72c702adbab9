import Hummingbird
import NIOCore
import TaskCore

/// `/`, `/health`, `/health/ready`, `/metrics`, `/openapi.yaml`, `/docs`.
extension RouteBuilder {
    mutating func addServiceRoutes(_ services: TaskdServices, configuration: HTTPConfiguration, metrics: HTTPMetrics) {
        open(.get, "/") { _, _ in
            try Responses.json(["name": "taskd", "version": configuration.version])
        }
        open(.get, "/health") { _, _ in
            try Responses.json(["status": "ok"])
        }
        open(.get, "/health/ready") { _, _ in
            guard await services.store.isReady() else { throw DomainError.storeUnavailable }
            return try Responses.json(["status": "ready"])
        }
        open(.get, "/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
        open(.get, "/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        open(.get, "/docs") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.html)))
        }
    }
}
