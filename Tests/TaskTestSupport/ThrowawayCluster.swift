import Foundation

/// A PostgreSQL cluster of a test's own (data, socket and log in a temporary folder, a free port on
/// 127.0.0.1), for tests that stop and start the server or need TLS without disturbing the shared test cluster.
/// Needs `TASKD_TEST_PG_BIN` and `TASKD_TEST_PG_SOCKET_DIR` (set by `./scripts/test`, which also stops any such
/// cluster a failed test left behind); runs the server as `postgres` when the tests run as root.
///
/// Every command runs through `Process` with a termination handler, never blocking a thread of the cooperative
/// pool.
public struct ThrowawayCluster: Sendable {
    /// The folder holding `data/`, the socket and the log.
    public let folder: String
    /// The TCP port on 127.0.0.1.
    public let port: Int
    private let bin: String
    private let extraOptions: String

    /// Initialises a cluster (not started). With `tls`, a self-signed certificate is made and `ssl` turned on.
    public init(tls: Bool = false) async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let bin = environment["TASKD_TEST_PG_BIN"], let parent = environment["TASKD_TEST_PG_SOCKET_DIR"] else {
            throw StoreKind.MissingDatabase()
        }
        self.bin = bin
        folder = try await Self.shell("mktemp -d \(parent)/own.XXXXXX", capturingOutput: true).trimmingCharacters(
            in: .whitespacesAndNewlines)
        port = try await Self.freePort()
        if tls {
            try await Self.shell(
                """
                openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
                  -keyout \(folder)/server.key -out \(folder)/server.crt 2>/dev/null && chmod 600 \(folder)/server.key
                """)
            extraOptions = "-c ssl=on -c ssl_cert_file=\(folder)/server.crt -c ssl_key_file=\(folder)/server.key"
        } else {
            extraOptions = ""
        }
        if getuid() == 0 { try await Self.shell("chown -R postgres: \(folder)") }
        try await asPostgres(
            "\(bin)/initdb -D \(folder)/data -U postgres -A trust -N -E UTF8 --locale=C.UTF-8 >\(folder)/initdb.log 2>&1"
        )
    }

    /// Stops the server if it runs and removes the folder.
    public func remove() async {
        _ = try? await asPostgres("\(bin)/pg_ctl -D \(folder)/data -m immediate -w stop >/dev/null 2>&1")
        _ = try? await Self.shell("rm -rf \(folder)")
    }

    /// `postgres://postgres@127.0.0.1:PORT/postgres` with the given `sslmode`.
    public func url(sslmode: String = "disable") -> String {
        "postgres://postgres@127.0.0.1:\(port)/postgres?sslmode=\(sslmode)"
    }

    /// Starts the server and waits until it accepts connections.
    /// - Throws: `StartFailure`, with the end of the server's log, when it does not start.
    public func start() async throws {
        do {
            try await asPostgres(
                """
                \(bin)/pg_ctl -D \(folder)/data -l \(folder)/pg.log -w -t 60 start -o \
                "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off \(extraOptions)" >/dev/null
                """)
        } catch {
            let log = (try? await Self.shell("tail -n 20 \(folder)/pg.log", capturingOutput: true)) ?? ""
            throw StartFailure(port: port, log: log)
        }
    }

    /// A server that did not start, with the end of its log.
    public struct StartFailure: Error, CustomStringConvertible {
        let port: Int
        let log: String
        /// The port and the log.
        public var description: String { "PostgreSQL did not start on port \(port):\n\(log)" }
    }

    /// Stops the server at once, dropping every connection.
    public func stop() async throws {
        try await asPostgres("\(bin)/pg_ctl -D \(folder)/data -m fast -w stop >/dev/null")
    }

    /// Restarts the server the way an operator does for a minor upgrade: `pg_ctl restart -m fast`.
    public func restart() async throws {
        try await asPostgres(
            """
            \(bin)/pg_ctl -D \(folder)/data -l \(folder)/pg.log -w -t 60 -m fast restart -o \
            "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off \(extraOptions)" >/dev/null
            """)
    }

    /// Runs `statement` with `psql` over the socket, as the `postgres` user, and returns what it printed.
    @discardableResult
    public func sql(_ statement: String) async throws -> String {
        try await asPostgres(
            "\(bin)/psql -h \(folder) -p \(port) -U postgres -d postgres -qAt -c \"\(statement)\" </dev/null",
            capturingOutput: true
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Freezes (`STOP`) or thaws (`CONT`) every process of the server: a server that stops answering without
    /// closing its connections.
    public func signal(_ name: String) async throws {
        try await Self.shell("pid=$(head -1 \(folder)/data/postmaster.pid) && kill -\(name) $pid $(pgrep -P $pid)")
    }

    @discardableResult
    private func asPostgres(_ command: String, capturingOutput: Bool = false) async throws -> String {
        let escaped = command.replacingOccurrences(of: "'", with: "'\\''")
        return try await Self.shell(
            getuid() == 0 ? "cd / && runuser -u postgres -- bash -c '\(escaped)'" : command,
            capturingOutput: capturingOutput)
    }

    /// Runs a `bash` command and returns what it printed when `capturingOutput`. A server it starts in the
    /// background does not hold the call up. - Throws: `ShellFailure` when it exits with another status than 0.
    @discardableResult
    public static func shell(_ command: String, capturingOutput: Bool = false) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        // Foundation learns that the command ended when a descriptor it handed down is closed; a server the
        // command starts would inherit that descriptor and keep it open, so the shell closes every descriptor
        // above 2 first. For the same reason only short-lived output is captured.
        let closeInherited =
            #"for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done 2>/dev/null; "#
        process.arguments = ["-c", closeInherited + command]
        let output = Pipe()
        process.standardOutput = capturingOutput ? output : FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let data = capturingOutput ? output.fileHandleForReading.readDataToEndOfFile() : Data()
        guard status == 0 else { throw ShellFailure(command: command, status: status) }
        return String(decoding: data, as: UTF8.self)
    }

    /// A port nobody listens on, below Linux's range of ephemeral ports (32768 and up), so that no outgoing
    /// connection can take it between the check and the server's start.
    public static func freePort() async throws -> Int {
        let script =
            "for p in $(shuf -i 26000-29999 -n 200); do (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; break; }; done"
        guard
            let port = Int(
                try await shell(script, capturingOutput: true).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            throw ShellFailure(command: "find a free port", status: 1)
        }
        return port
    }

    /// A shell command that failed.
    public struct ShellFailure: Error, CustomStringConvertible {
        let command: String
        let status: Int32
        /// The command and its exit status.
        public var description: String { "command failed with status \(status): \(command)" }
    }
}
