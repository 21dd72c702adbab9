import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TaskTestSupport
import Testing

/// A real taskd process on a PostgreSQL cluster of the test's own, killed with SIGKILL while a delivery is in
/// flight and a second one is queued: after a restart, both go out.
@Suite("Process: webhook deliveries survive kill -9")
struct WebhookDurabilityTests {
    /// The taskd binary built next to the test bundle.
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("taskd").path

    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: binary)
            && ProcessInfo.processInfo.environment["TASKD_TEST_PG_BIN"] != nil
    }

    struct TaskdDidNotStart: Error {}

    /// One taskd process, started in the background.
    struct Taskd {
        let pid: Int32
        let port: Int

        static func start(database: String, port: Int, folder: String) async throws -> Taskd {
            let environment = [
                "DATABASE_URL=\(database)", "TASKD_JWT_SECRET=durability-secret-\(String(repeating: "x", count: 32))",
                "TASKD_WEBHOOK_ALLOW_HTTP=true", "TASKD_WEBHOOK_ALLOW_PRIVATE=true", "TASKD_WEBHOOK_TIMEOUT=1",
                "TASKD_LOG_LEVEL=error", "TASKD_REGISTER_ADDRESS_LIMIT=0",
            ].map { "'\($0)'" }.joined(separator: " ")
            let pid = try await ThrowawayCluster.shell(
                "env \(environment) \(binary) serve --host 127.0.0.1 --port \(port) >>\(folder)/taskd.log 2>&1 & echo $!",
                capturingOutput: true)
            guard let number = Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw TaskdDidNotStart()
            }
            let taskd = Taskd(pid: number, port: port)
            for _ in 0..<600 {
                if (try? await taskd.request(.GET, "/health/ready").status) == 200 { return taskd }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw TaskdDidNotStart()
        }

        func kill(_ signal: String) async throws {
            try await ThrowawayCluster.shell(
                "kill -\(signal) \(pid); while kill -0 \(pid) 2>/dev/null; do sleep 0.05; done")
        }

        func request(_ method: HTTPMethod, _ path: String, token: String? = nil, json: String? = nil) async throws
            -> (status: UInt, body: [String: Any])
        {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
            request.method = method
            if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
            if let json {
                request.headers.add(name: "content-type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: json))
            }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any]
            return (response.status.code, object ?? [:])
        }
    }

    @Test(
        "a delivery in flight and one queued when taskd is killed both go out after the restart",
        .enabled(if: isAvailable))
    func killAndRestart() async throws {
        let cluster = try await ThrowawayCluster()
        try await cluster.start()
        do {
            try await WebhookReceiver.run { receiver, base in
                let port = try await ThrowawayCluster.freePort()
                var taskd = try await Taskd.start(database: cluster.url(), port: port, folder: cluster.folder)
                _ = try await taskd.request(
                    .POST, "/api/v1/auth/register",
                    json: #"{"email":"ann@example.com","password":"password-ann","name":"Ann"}"#)
                let login = try await taskd.request(
                    .POST, "/api/v1/auth/login", json: #"{"email":"ann@example.com","password":"password-ann"}"#)
                let token = try #require(login.body["access_token"] as? String)
                let workspace = try #require(
                    try await taskd.request(.POST, "/api/v1/workspaces", token: token, json: #"{"name":"W"}"#)
                        .body["id"] as? String)
                receiver.answer(WebhookReceiver.hold, WebhookReceiver.hold)
                let hook = try await taskd.request(
                    .POST, "/api/v1/workspaces/\(workspace)/webhooks", token: token,
                    json: #"{"url":"\#(base)/in","events":["task_created"]}"#)
                #expect(hook.status == 201)
                for title in ["first", "second"] {
                    let created = try await taskd.request(
                        .POST, "/api/v1/tasks", token: token,
                        json: #"{"title":"\#(title)","workspace_id":"\#(workspace)"}"#)
                    #expect(created.status == 201)
                }
                // Both attempts are in flight, held by the receiver: kill taskd before either is answered.
                for _ in 0..<300 where receiver.received.count < 2 { try await Task.sleep(for: .milliseconds(50)) }
                #expect(receiver.received.count == 2)
                let sent = Set(receiver.received.compactMap { $0.headers["webhook-id"] })
                try await taskd.kill("KILL")

                taskd = try await Taskd.start(database: cluster.url(), port: port, folder: cluster.folder)
                // The killed process's claims run out (1 s timeout + 10 s margin); then both go out again.
                for _ in 0..<600
                where Set(receiver.received.filter { $0.status == 200 }.compactMap { $0.headers["webhook-id"] }).count
                    < 2
                {
                    try await Task.sleep(for: .milliseconds(100))
                }
                let answered = Set(
                    receiver.received.filter { $0.status == 200 }.compactMap { $0.headers["webhook-id"] })
                #expect(answered == sent && answered.count == 2)
                try await taskd.kill("TERM")
            }
        } catch {
            await cluster.remove()
            throw error
        }
        await cluster.remove()
    }
}
