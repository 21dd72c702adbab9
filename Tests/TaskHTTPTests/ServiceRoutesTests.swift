import Foundation
import HTTPTypes
import TaskTestSupport
import Testing

@testable import TaskHTTP

@Suite("HTTP: service routes, observability, CORS, the OpenAPI document")
struct ServiceRoutesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("/metrics counts each route's requests by status, every one of them")
    func requestCounts() async throws {
        try await APIHarness.make().run { api in
            for _ in 0..<3 { _ = try await api.send(.get, "/api/v1/tasks") }
            _ = try await api.send(.get, "/health")
            let lines = try await api.send(.get, "/metrics").text.split(separator: "\n")
            func count(route: String, status: Int) -> String? {
                lines.first {
                    $0.hasPrefix("http_requests_total{") && $0.contains("route=\"\(route)\"")
                        && $0.contains("status=\"\(status)\"")
                }?.split(separator: " ").last.map(String.init)
            }
            #expect(count(route: "/api/v1/tasks", status: 401) == "3")
            #expect(count(route: "/health", status: 200) == "1")
            #expect(lines.contains { $0.hasPrefix("http_request_duration_seconds_count{") && $0.hasSuffix(" 3") })
        }
    }

    @Test("/metrics shows the requests in flight: the scrape itself once the others have ended, failed or not")
    func requestsInFlight() async throws {
        try await APIHarness.make().run { api in
            let first = try await api.send(.get, "/metrics").text
            #expect(first.contains("\ntaskd_requests_in_flight 1.0\n"))
            let refused = try await api.send(.get, "/api/v1/tasks")
            let missing = try await api.send(.get, "/api/v1/nowhere")
            let malformed = try await api.send(.post, "/api/v1/auth/login", json: "{")
            #expect(refused.status == .unauthorized && missing.status == .notFound && malformed.status != .ok)
            let again = try await api.send(.get, "/metrics").text
            #expect(again.contains("\ntaskd_requests_in_flight 1.0\n"))
        }
    }

    @Test("every request counts as in flight but an event feed's, whose long poll and stream wait by design")
    func countedPaths() {
        #expect(RequestLoadMiddleware.counts(path: "/api/v1/tasks"))
        #expect(RequestLoadMiddleware.counts(path: "/api/v1/tasks/0b7e3f4c-0000-4000-8000-000000000000/activity"))
        #expect(!RequestLoadMiddleware.counts(path: "/api/v1/workspaces/0b7e3f4c-0000-4000-8000-000000000000/events"))
        #expect(!RequestLoadMiddleware.counts(path: "/api/v1/projects/0b7e3f4c-0000-4000-8000-000000000000/events"))
    }

    @Test("/, /health, /health/ready, /metrics, /openapi.yaml and /docs answer without a token")
    func serviceRoutes() async throws {
        try await APIHarness.make().run { api in
            let root = try await api.send(.get, "/")
            #expect(root.string("name") == "taskd" && root.string("version") != nil)
            #expect(try await api.send(.get, "/health").string("status") == "ok")
            #expect(try await api.send(.get, "/health/ready").status == .ok)
            _ = try await api.send(.get, "/api/v1/tasks")
            let metrics = try await api.send(.get, "/metrics")
            #expect(metrics.text.contains("http_requests_total") && metrics.text.contains("route=\"/api/v1/tasks\""))
            #expect(metrics.text.contains("taskd_event_readers_waiting 0"))
            let document = try await api.send(.get, "/openapi.yaml")
            #expect(document.text.hasPrefix("openapi: 3.1.0"))
            let docs = try await api.send(.get, "/docs")
            #expect(
                docs.text.contains("/api/v1/tasks/{id}/complete") && !docs.text.contains("http://")
                    || docs.text.contains("127.0.0.1"))
            #expect(!docs.text.contains("<script src") && !docs.text.contains("https://"))
        }
    }

    @Test("a request id is taken from X-Request-ID or made, and echoed")
    func requestID() async throws {
        try await APIHarness.make().run { api in
            let given = try await api.send(.get, "/health", headers: [.init("X-Request-ID")!: "abc-123"])
            #expect(given.headers[.init("X-Request-ID")!] == "abc-123")
            let made = try await api.send(.get, "/health")
            #expect((made.headers[.init("X-Request-ID")!] ?? "").count == 36)
        }
    }

    @Test("CORS: an allowed origin's preflight is answered; another origin gets no CORS headers")
    func cors() async throws {
        try await APIHarness.make().run { api in
            let preflight = try await api.send(
                .options, "/api/v1/tasks",
                headers: [.origin: "https://app.example.com", .accessControlRequestMethod: "POST"])
            #expect(
                preflight.status == .noContent
                    && preflight.headers[.accessControlAllowOrigin] == "https://app.example.com")
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("PATCH") == true)
            let other = try await api.send(.get, "/health", headers: [.origin: "https://evil.example.com"])
            #expect(other.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test("the document taskd serves is docs/openapi.yaml (run scripts/embed-openapi after editing it)")
    func embeddedDocumentIsCurrent() async throws {
        let document = try String(contentsOf: Self.root.appending(path: "docs/openapi.yaml"), encoding: .utf8)
        try await APIHarness.make().run { api in
            let served = try await api.send(.get, "/openapi.yaml")
            #expect(served.text.trimmingCharacters(in: .newlines) == document.trimmingCharacters(in: .newlines))
        }
    }
}
