import Foundation
import PostgresNIO

/// A `DATABASE_URL` in the usual form, `postgres://user:password@host:port/database?sslmode=...`, turned into a
/// PostgresClient configuration per host.
///
/// - Several hosts, as libpq takes them: `postgres://user@h1:5432,h2:5433/db`. They are tried in order.
/// - `target_session_attrs`: `any` (default: the first host that answers), `read-write` (the first whose sessions
///   can write, `SHOW transaction_read_only` is `off`) or `primary` (the first not in recovery). The other libpq
///   values ask for a read-only session, which a store that writes cannot use, and are refused.
/// - `sslmode`: `disable` (default), `prefer`/`allow` (TLS when the server offers it), `require` (TLS, the
///   certificate is not checked, as libpq does), `verify-ca` (TLS, the chain is checked against `sslrootcert` or
///   the system's roots) and `verify-full` (also the host name).
/// - A Unix socket: an empty host with `?host=/path/to/dir` (the socket is `dir/.s.PGSQL.port`), or a
///   percent-encoded path as the host (`postgres://user@%2Ftmp%2Fpg/db`).
public struct DatabaseURL: Sendable, CustomStringConvertible {
    /// Which session a connection must have to be kept (libpq's `target_session_attrs`).
    public enum TargetSession: String, Sendable, Equatable {
        /// Any host that answers.
        case any
        /// A host whose sessions can write.
        case readWrite = "read-write"
        /// A host that is not a standby.
        case primary
    }

    /// The client configuration of each host, in the order they are tried.
    public let configurations: [PostgresClient.Configuration]
    /// Which session to keep.
    public let targetSession: TargetSession
    /// The URL with the password masked, safe to log.
    public let description: String

    /// The first host's configuration.
    public var configuration: PostgresClient.Configuration { configurations[0] }

    /// Each host's TCP name and port, `nil` for a Unix socket.
    var tcpHosts: [(host: String, port: Int)?] {
        configurations.map { configuration in
            configuration.host.map { ($0, configuration.port ?? 5432) }
        }
    }

    /// Parses `text`. - Throws: `DatabaseURLError` naming what is wrong (never echoing the password).
    public init(_ text: String) throws {
        let (single, hosts) = try Self.splitHosts(text)
        guard let components = URLComponents(string: single),
            let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else { throw DatabaseURLError("DATABASE_URL must look like postgres://user:password@host:port/database") }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let username =
            components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? query["user"] ?? "postgres"
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding } ?? query["password"]
        var database = String(components.path.drop(while: { $0 == "/" }))
        if database.isEmpty { database = query["dbname"] ?? username }
        let defaultPort = query["port"].flatMap(Int.init) ?? 5432
        guard let target = TargetSession(rawValue: query["target_session_attrs"] ?? "any") else {
            throw DatabaseURLError(
                "target_session_attrs must be any, read-write or primary: taskd writes, so it needs a session that can")
        }
        targetSession = target

        var masked = components
        if masked.password != nil { masked.password = "***" }
        if let hosts {
            let tls = try Self.tls(mode: query["sslmode"] ?? "disable", rootCertificate: query["sslrootcert"])
            configurations = try hosts.map { entry in
                let (host, port) = try Self.hostAndPort(entry, defaultPort: defaultPort)
                return PostgresClient.Configuration(
                    host: host, port: port, username: username, password: password, database: database, tls: tls)
            }
            description = (masked.string ?? "postgres://***").replacingOccurrences(
                of: Self.placeholder, with: hosts.joined(separator: ","))
            return
        }
        let port = components.port ?? defaultPort
        let host =
            (components.percentEncodedHost?.removingPercentEncoding).flatMap { $0.isEmpty ? nil : $0 } ?? query["host"]
        if let host, host.hasPrefix("/") {
            configurations = [
                PostgresClient.Configuration(
                    unixSocketPath: "\(host)/.s.PGSQL.\(port)", username: username, password: password,
                    database: database)
            ]
        } else {
            let tls = try Self.tls(mode: query["sslmode"] ?? "disable", rootCertificate: query["sslrootcert"])
            configurations = [
                PostgresClient.Configuration(
                    host: host ?? "localhost", port: port, username: username, password: password, database: database,
                    tls: tls)
            ]
        }
        description = masked.string ?? "postgres://***"
    }

    /// Stands in for a list of hosts, which `URLComponents` cannot parse.
    private static let placeholder = "taskd-host-list.invalid"

    /// `text` with a list of several hosts replaced by a placeholder host, and that list; `text` itself and `nil`
    /// when it names one host or none.
    private static func splitHosts(_ text: String) throws -> (String, [String]?) {
        guard let schemeEnd = text.range(of: "://") else { return (text, nil) }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let hostStart = authority.lastIndex(of: "@").map { authority.index(after: $0) } ?? authority.startIndex
        let hostList = authority[hostStart...]
        guard hostList.contains(",") else { return (text, nil) }
        let hosts = hostList.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard hosts.allSatisfy({ !$0.isEmpty }) else { throw DatabaseURLError("DATABASE_URL has an empty host") }
        let replaced = text[..<hostStart] + placeholder + text[authorityEnd...]
        return (String(replaced), hosts)
    }

    /// `host` or `host:port` (`[v6]` or `[v6]:port` for an IPv6 address).
    private static func hostAndPort(_ entry: String, defaultPort: Int) throws -> (String, Int) {
        var host = entry
        var portText: Substring?
        if entry.hasPrefix("[") {
            guard let close = entry.firstIndex(of: "]") else { throw DatabaseURLError("DATABASE_URL has a bad host") }
            host = String(entry[entry.index(after: entry.startIndex)..<close])
            let after = entry[entry.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw DatabaseURLError("DATABASE_URL has a bad host")
            }
        } else if let colon = entry.lastIndex(of: ":") {
            host = String(entry[..<colon])
            portText = entry[entry.index(after: colon)...]
        }
        guard !host.isEmpty else { throw DatabaseURLError("DATABASE_URL has an empty host") }
        guard let portText else { return (host, defaultPort) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw DatabaseURLError("DATABASE_URL has a port that is not a number from 1 to 65535")
        }
        return (host, port)
    }

    private static func tls(mode: String, rootCertificate: String?) throws -> PostgresClient.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let rootCertificate { tls.trustRoots = .file(rootCertificate) }
        switch mode {
        case "disable":
            return .disable
        case "allow", "prefer":
            tls.certificateVerification = .none
            return .prefer(tls)
        case "require":
            tls.certificateVerification = rootCertificate == nil ? .none : .noHostnameVerification
            return .require(tls)
        case "verify-ca":
            tls.certificateVerification = .noHostnameVerification
            return .require(tls)
        case "verify-full":
            tls.certificateVerification = .fullVerification
            return .require(tls)
        default:
            throw DatabaseURLError("sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full")
        }
    }
}

/// Why a `DATABASE_URL` cannot be used.
public struct DatabaseURLError: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
