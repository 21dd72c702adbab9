import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TaskTestSupport

/// Runs the built `taskd` executable as an operator would, and talks to it over TCP.
@Suite("The taskd binary", .serialized)
struct BinaryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary `swift build` made next to the test bundle.
    static var binary: URL? {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidate = bundle.appending(path: "taskd")
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
    }

    @Test("starts on a free port, registers, logs in, creates and reads a task, and stops cleanly on SIGTERM")
    func endToEnd() async throws {
        let binary = try #require(Self.binary, "build taskd first: swift build --build-tests")
        let port = Int.random(in: 20_000...29_999)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--port", "\(port)"]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = nil
        environment["TASKD_BCRYPT_COST"] = "4"
        environment["TASKD_LOG_LEVEL"] = "info"
        environment["TASKD_ADMIN_EMAILS"] = "root@example.com"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let exited = AsyncStream<Int32> { continuation in
            process.terminationHandler = { finished in
                continuation.yield(finished.terminationStatus)
                continuation.finish()
            }
        }
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let base = "http://127.0.0.1:\(port)"
        var ready = false
        for _ in 0..<100 where !ready {
            ready = (try? await Self.request("GET", "\(base)/health")).map { $0.status == 200 } ?? false
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(ready, "taskd answers /health")

        let register = try await Self.request(
            "POST", "\(base)/api/v1/auth/register", json: #"{"email":"op@example.com","password":"password1","name":"Op"}"#)
        #expect(register.status == 201)
        let login = try await Self.request("POST", "\(base)/api/v1/auth/login", json: #"{"email":"op@example.com","password":"password1"}"#)
        let token = try #require(login.json["access_token"] as? String)
        let created = try await Self.request("POST", "\(base)/api/v1/tasks", json: #"{"title":"From the binary"}"#, token: token)
        #expect(created.status == 201)
        let id = try #require(created.json["id"] as? String)
        let read = try await Self.request("GET", "\(base)/api/v1/tasks/\(id)", token: token)
        #expect(read.status == 200 && read.json["title"] as? String == "From the binary")
        #expect(register.json["is_admin"] as? Bool == false)
        let root = try await Self.request(
            "POST", "\(base)/api/v1/auth/register", json: #"{"email":"Root@Example.com","password":"password1","name":"Root"}"#)
        #expect(root.json["is_admin"] as? Bool == true, "TASKD_ADMIN_EMAILS makes an administrator on the in-memory store")

        process.terminate()
        var status: Int32?
        for await code in exited { status = code }
        #expect(status == 0, "exits cleanly on SIGTERM")
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("in-memory store"), "says that data will not survive a restart")
        #expect(!log.contains("password1") && !log.contains(token), "no secret in the log")
        let accessLines = log.split(separator: "\n").filter { $0.contains("request_id=") && $0.contains("status=") }
        #expect(accessLines.contains { $0.contains("method=POST") && $0.contains("status=201") }, "one access line per request")
    }

    @Test("on PostgreSQL it migrates before anything else touches the store, and promotes TASKD_ADMIN_EMAILS at start",
          .enabled(if: StoreKind.postgresURL != nil || StoreKind.isCI))
    func startsOnPostgres() async throws {
        let binary = try #require(Self.binary)
        let cluster = try await ThrowawayCluster()
        try await cluster.start()
        func serve(port: Int, admins: String) throws -> (Process, Pipe, AsyncStream<Int32>) {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["serve", "--port", "\(port)"]
            var environment = ProcessInfo.processInfo.environment
            environment["DATABASE_URL"] = cluster.url()
            environment["TASKD_JWT_SECRET"] = String(repeating: "s", count: 32)
            environment["TASKD_BCRYPT_COST"] = "4"
            environment["TASKD_LOG_LEVEL"] = "info"
            environment["TASKD_ADMIN_EMAILS"] = admins
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            process.standardInput = FileHandle.nullDevice
            let exited = AsyncStream<Int32> { continuation in
                process.terminationHandler = { finished in
                    continuation.yield(finished.terminationStatus)
                    continuation.finish()
                }
            }
            try process.run()
            return (process, output, exited)
        }
        func waitUntilReady(_ base: String) async throws -> Bool {
            for _ in 0..<200 {
                if (try? await Self.request("GET", "\(base)/health/ready"))?.status == 200 { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return false
        }

        let port = Int.random(in: 30_000...34_999)
        let base = "http://127.0.0.1:\(port)"
        let (first, firstOutput, firstExit) = try serve(port: port, admins: "ops@example.com")
        #expect(try await waitUntilReady(base))
        let registered = try await Self.request(
            "POST", "\(base)/api/v1/auth/register", json: #"{"email":"ops@example.com","password":"password1","name":"Ops"}"#)
        #expect(registered.status == 201 && registered.json["is_admin"] as? Bool == true)
        let later = try await Self.request(
            "POST", "\(base)/api/v1/auth/register", json: #"{"email":"later@example.com","password":"password1","name":"Later"}"#)
        #expect(later.json["is_admin"] as? Bool == false)
        first.terminate()
        for await _ in firstExit {}
        let log = String(decoding: firstOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("schema is up to date"))
        #expect(!log.contains("could not remove expired sessions"), "the clean-up waits for the migrations")

        let (second, _, secondExit) = try serve(port: port, admins: "ops@example.com, later@example.com")
        #expect(try await waitUntilReady(base))
        let login = try await Self.request("POST", "\(base)/api/v1/auth/login", json: #"{"email":"later@example.com","password":"password1"}"#)
        let token = try #require(login.json["access_token"] as? String)
        #expect(try await Self.request("GET", "\(base)/api/v1/users/me", token: token).json["is_admin"] as? Bool == true,
                "a registered user named in TASKD_ADMIN_EMAILS is made an administrator when taskd starts")
        second.terminate()
        for await _ in secondExit {}
        await cluster.remove()
    }

    @Test("with DATABASE_URL but no JWT secret it refuses to start, saying why")
    func refusesWithoutSecret() async throws {
        let binary = try #require(Self.binary)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--port", "1"]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = "postgres://taskd@127.0.0.1:1/taskd"
        environment["TASKD_JWT_SECRET"] = nil
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let exited = AsyncStream<Int32> { continuation in
            process.terminationHandler = { finished in
                continuation.yield(finished.terminationStatus)
                continuation.finish()
            }
        }
        try process.run()
        var status: Int32?
        for await code in exited { status = code }
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(status != 0)
        #expect(log.contains("TASKD_JWT_SECRET"))
    }

    struct Reply {
        let status: Int
        let json: [String: Any]
    }

    static func request(_ method: String, _ url: String, json: String? = nil, token: String? = nil) async throws -> Reply {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = method
        if let json {
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let object = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return Reply(status: status, json: object)
    }
}
