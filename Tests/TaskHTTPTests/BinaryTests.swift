import Foundation
import Glibc
import TaskTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Runs the built `taskd` executable as an operator would, and talks to it over TCP.
@Suite("The taskd binary", .serialized)
struct BinaryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

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
        let (process, output, exited) = try Self.launch(
            binary, port: port,
            environment: [
                "DATABASE_URL": nil, "TASKD_BCRYPT_COST": "4", "TASKD_LOG_LEVEL": "info",
                "TASKD_ADMIN_EMAILS": "root@example.com",
                "TASKD_HTTP_IDLE_TIMEOUT": "1",
            ])
        defer { if process.isRunning { process.terminate() } }

        let base = "http://127.0.0.1:\(port)"
        var ready = false
        for _ in 0..<100 where !ready {
            ready = (try? await Self.request("GET", "\(base)/health")).map { $0.status == 200 } ?? false
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(ready, "taskd answers /health")

        let register = try await Self.request(
            "POST", "\(base)/api/v1/auth/register",
            json: #"{"email":"op@example.com","password":"password1","name":"Op"}"#)
        #expect(register.status == 201)
        let login = try await Self.request(
            "POST", "\(base)/api/v1/auth/login", json: #"{"email":"op@example.com","password":"password1"}"#)
        let token = try #require(login.json["access_token"] as? String)
        let created = try await Self.request(
            "POST", "\(base)/api/v1/tasks", json: #"{"title":"From the binary"}"#, token: token)
        #expect(created.status == 201)
        let id = try #require(created.json["id"] as? String)
        let read = try await Self.request("GET", "\(base)/api/v1/tasks/\(id)", token: token)
        #expect(read.status == 200 && read.json["title"] as? String == "From the binary")
        #expect(register.json["is_admin"] as? Bool == false)
        let root = try await Self.request(
            "POST", "\(base)/api/v1/auth/register",
            json: #"{"email":"Root@Example.com","password":"password1","name":"Root"}"#)
        #expect(
            root.json["is_admin"] as? Bool == true, "TASKD_ADMIN_EMAILS makes an administrator on the in-memory store")

        #expect(Self.closesIdleConnection(port: port), "a client that stops sending mid-request is disconnected")

        process.terminate()
        var status: Int32?
        for await code in exited { status = code }
        #expect(status == 0, "exits cleanly on SIGTERM")
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("in-memory store"), "says that data will not survive a restart")
        #expect(!log.contains("password1") && !log.contains(token), "no secret in the log")
        let accessLines = log.split(separator: "\n").filter { $0.contains("request_id=") && $0.contains("status=") }
        #expect(
            accessLines.contains { $0.contains("method=POST") && $0.contains("status=201") },
            "one access line per request")
    }

    @Test(
        "on PostgreSQL it migrates before anything else touches the store, and promotes TASKD_ADMIN_EMAILS at start",
        .enabled(if: StoreKind.postgresURL != nil || StoreKind.isCI))
    func startsOnPostgres() async throws {
        let binary = try #require(Self.binary)
        let cluster = try await ThrowawayCluster()
        try await cluster.start()
        func serve(port: Int, admins: String) throws -> (Process, Pipe, AsyncStream<Int32>) {
            try Self.launch(
                binary, port: port,
                environment: [
                    "DATABASE_URL": cluster.url(), "TASKD_JWT_SECRET": String(repeating: "s", count: 32),
                    "TASKD_BCRYPT_COST": "4",
                    "TASKD_LOG_LEVEL": "info", "TASKD_ADMIN_EMAILS": admins,
                ])
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
            "POST", "\(base)/api/v1/auth/register",
            json: #"{"email":"ops@example.com","password":"password1","name":"Ops"}"#)
        #expect(registered.status == 201 && registered.json["is_admin"] as? Bool == true)
        let later = try await Self.request(
            "POST", "\(base)/api/v1/auth/register",
            json: #"{"email":"later@example.com","password":"password1","name":"Later"}"#)
        #expect(later.json["is_admin"] as? Bool == false)
        first.terminate()
        for await _ in firstExit {}
        let log = String(decoding: firstOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("schema is up to date"))
        #expect(!log.contains("could not remove expired sessions"), "the clean-up waits for the migrations")

        let (second, _, secondExit) = try serve(port: port, admins: "ops@example.com, later@example.com")
        #expect(try await waitUntilReady(base))
        let login = try await Self.request(
            "POST", "\(base)/api/v1/auth/login", json: #"{"email":"later@example.com","password":"password1"}"#)
        let token = try #require(login.json["access_token"] as? String)
        #expect(
            try await Self.request("GET", "\(base)/api/v1/users/me", token: token).json["is_admin"] as? Bool == true,
            "a registered user named in TASKD_ADMIN_EMAILS is made an administrator when taskd starts")
        second.terminate()
        for await _ in secondExit {}
        await cluster.remove()
    }

    @Test("with DATABASE_URL but no JWT secret it refuses to start, saying why")
    func refusesWithoutSecret() async throws {
        let binary = try #require(Self.binary)
        let (_, output, exited) = try Self.launch(
            binary, port: 1,
            environment: ["DATABASE_URL": "postgres://taskd@127.0.0.1:1/taskd", "TASKD_JWT_SECRET": nil])
        var status: Int32?
        for await code in exited { status = code }
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(status != 0)
        #expect(log.contains("TASKD_JWT_SECRET"))
    }

    /// Starts `taskd serve` on `port` with the test's environment changed as given (`nil` removes a variable);
    /// returns the process, its combined output and its exit status once it ends.
    static func launch(
        _ binary: URL, port: Int, environment changes: [String: String?]
    ) throws -> (Process, Pipe, AsyncStream<Int32>) {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--port", "\(port)"]
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in changes { environment[name] = value }
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

    /// Sends half a request on a new connection and waits (up to 20 s) for the server to close it.
    static func closesIdleConnection(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return false }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let partial = Array("GET /health HTTP/1.1\r\nHost: x\r\n".utf8)
        guard send(socket, partial, partial.count, 0) == partial.count else { return false }
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let received = recv(socket, &buffer, buffer.count, 0)
            if received == 0 { return true }
            if received < 0 { return errno == ECONNRESET }
        }
    }

    struct Reply {
        let status: Int
        let json: [String: Any]
    }

    static func request(_ method: String, _ url: String, json: String? = nil, token: String? = nil) async throws
        -> Reply
    {
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
