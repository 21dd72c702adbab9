import Foundation
import PostgresNIO

/// A `DATABASE_URL` in the usual form, `postgres://user:password@host:port/database?sslmode=...`, turned into a
/// PostgresClient configuration.
///
/// - `sslmode`: `disable` (default), `prefer`/`allow` (TLS when the server offers it), `require` (TLS, the
///   certificate is not checked, as libpq does), `verify-ca` (TLS, the chain is checked against `sslrootcert` or
///   the system's roots) and `verify-full` (also the host name).
/// - A Unix socket: an empty host with `?host=/path/to/dir` (the socket is `dir/.s.PGSQL.port`), or a
///   percent-encoded path as the host (`postgres://user@%2Ftmp%2Fpg/db`).
public struct DatabaseURL: Sendable, CustomStringConvertible {
    /// The client configuration.
    public let configuration: PostgresClient.Configuration
    /// The URL with the password masked, safe to log.
    public let description: String

    /// Parses `text`. - Throws: `DatabaseURLError` naming what is wrong (never echoing the password).
    public init(_ text: String) throws {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else { throw DatabaseURLError("DATABASE_URL must look like postgres://user:password@host:port/database") }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let username =
            components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? query["user"] ?? "postgres"
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding } ?? query["password"]
        var database = String(components.path.drop(while: { $0 == "/" }))
        if database.isEmpty { database = query["dbname"] ?? username }
        let port = components.port ?? query["port"].flatMap(Int.init) ?? 5432
        let host =
            (components.percentEncodedHost?.removingPercentEncoding).flatMap { $0.isEmpty ? nil : $0 } ?? query["host"]

        if let host, host.hasPrefix("/") {
            configuration = PostgresClient.Configuration(
                unixSocketPath: "\(host)/.s.PGSQL.\(port)", username: username, password: password, database: database)
        } else {
            let tls = try Self.tls(mode: query["sslmode"] ?? "disable", rootCertificate: query["sslrootcert"])
            configuration = PostgresClient.Configuration(
                host: host ?? "localhost", port: port, username: username, password: password, database: database,
                tls: tls)
        }
        var masked = components
        if masked.password != nil { masked.password = "***" }
        description = masked.string ?? "postgres://***"
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
