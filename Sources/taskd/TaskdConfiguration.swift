import Foundation
import Logging
import TaskCore
import TaskStore

/// Settings read from the environment, checked once at start-up.
struct TaskdConfiguration {
    var databaseURL: DatabaseURL?
    /// `TASKD_DB_DIRECT_URL`: PostgreSQL itself, for the migration lock and `LISTEN`, when `DATABASE_URL` goes
    /// through a pooler in transaction mode.
    var directDatabaseURL: DatabaseURL?
    /// `TASKD_DB_PREPARED_STATEMENTS`: whether frequent statements are prepared once per connection.
    var usesPreparedStatements: Bool
    var jwtSecret: String?
    var allowedOrigins: [String]
    var trustedProxies: Set<String>
    var logLevel: Logger.Level
    var accessTokenLifetime: Duration
    var refreshTokenLifetime: Duration
    var bcryptCost: Int
    var migrateOnStart: Bool
    var loginAddressLimit: Int
    var registerAddressLimit: Int
    var adminEmails: [String]
    var databasePool: PoolSettings
    var httpIdleTimeout: Duration
    var shutdownTimeout: Duration
    var requireIfMatch: Bool
    var eventRetentionDays: Int
    var webhookAllowsHTTP: Bool
    var webhookAllowsPrivate: Bool
    var webhookDelivery: WebhookDeliverySettings

    static let environmentHelp = """
        Configuration comes from the environment:
          DATABASE_URL                postgres://user:password@host:port/db?sslmode=disable|require|verify-full
                                      (unset: in-memory store, data is lost on restart); several hosts
                                      (h1:p1,h2:p2) are tried in order, and with target_session_attrs=read-write
                                      only one whose sessions can write is used (found again after a failover)
          TASKD_DB_DIRECT_URL         PostgreSQL itself, for migrations and LISTEN, when DATABASE_URL goes
                                      through a pooler in transaction mode (PgBouncer)
          TASKD_DB_PREPARED_STATEMENTS  false behind a pooler in transaction mode (default true)
          TASKD_JWT_SECRET            HS256 secret, at least 32 bytes (required with DATABASE_URL)
          TASKD_ALLOWED_ORIGINS       CORS origins, comma separated (* for any; default none)
          TASKD_TRUSTED_PROXIES       proxy addresses whose X-Forwarded-For is believed, comma separated
          TASKD_LOG_LEVEL             trace, debug, info (default), notice, warning, error, critical
          TASKD_ACCESS_TOKEN_TTL      access token lifetime in seconds (default 1800)
          TASKD_REFRESH_TOKEN_TTL     refresh token lifetime in seconds (default 2592000, 30 days)
          TASKD_BCRYPT_COST           bcrypt cost of new password hashes, 4...31 (default 12)
          TASKD_LOGIN_ADDRESS_LIMIT   failed logins per client address in 15 minutes (default 100)
          TASKD_REGISTER_ADDRESS_LIMIT  registrations per client address in an hour (default 30; 0: no limit)
          TASKD_ADMIN_EMAILS          emails of system administrators, comma separated (on any store)
          TASKD_MIGRATE_ON_START      apply pending migrations when serve starts: true (default) or false
          TASKD_DB_POOL_SIZE          most PostgreSQL connections in the pool (default 20)
          TASKD_DB_TIMEOUT            seconds a request may wait on the database in all (default 4)
          TASKD_DB_STATEMENT_TIMEOUT  seconds PostgreSQL lets one statement run (default 3)
          TASKD_DB_IDLE_TIMEOUT       seconds an unused pool connection stays open (default 10)
          TASKD_HTTP_IDLE_TIMEOUT     seconds a client connection may sit idle before it is closed (default 30)
          TASKD_SHUTDOWN_TIMEOUT      seconds requests in flight get to finish on SIGTERM (default 10)
          TASKD_REQUIRE_IF_MATCH      true: PATCH, PUT and DELETE without If-Match are 428 (default false)
          TASKD_EVENT_RETENTION_DAYS  days events are kept for the feeds, 1...3650 (default 30)
          TASKD_WEBHOOK_ALLOW_HTTP    true: webhooks may use http URLs (default false: https only)
          TASKD_WEBHOOK_ALLOW_PRIVATE true: webhooks may target loopback and private addresses (default false)
          TASKD_WEBHOOK_TIMEOUT       seconds a webhook attempt may take, 1...60 (default 10)
          TASKD_WEBHOOK_RETRY_SCHEDULE  seconds before each retry, comma separated
                                      (default 5,30,300,1800,7200,28800,86400; each varies by 20 %)
          TASKD_WEBHOOK_DISABLE_AFTER seconds a webhook may fail every attempt before it is disabled (default 259200)
          TASKD_WEBHOOK_CONCURRENCY   webhook attempts in flight at once per process, 1...256 (default 16)
          TASKD_WEBHOOK_BUSY_CONCURRENCY
                                      the same while 8 or more API requests are in flight, 1...256 (default 4;
                                      at most TASKD_WEBHOOK_CONCURRENCY)
        """

    /// Reads and checks the environment. - Throws: `ConfigurationError` naming the bad setting.
    init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text), range.contains(number) else {
                throw ConfigurationError("\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound)")
            }
            return number
        }
        func list(_ name: String) -> [String] {
            (value(name) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
        }

        if let url = value("DATABASE_URL") {
            do {
                databaseURL = try DatabaseURL(url)
            } catch let error as DatabaseURLError {
                throw ConfigurationError("DATABASE_URL: \(error.description)")
            }
        }
        if let url = value("TASKD_DB_DIRECT_URL") {
            do {
                directDatabaseURL = try DatabaseURL(url)
            } catch let error as DatabaseURLError {
                throw ConfigurationError("TASKD_DB_DIRECT_URL: \(error.description)")
            }
        }
        jwtSecret = value("TASKD_JWT_SECRET")
        if let secret = jwtSecret, secret.utf8.count < 32 {
            throw ConfigurationError("TASKD_JWT_SECRET must be at least 32 bytes")
        }
        allowedOrigins = list("TASKD_ALLOWED_ORIGINS")
        trustedProxies = Set(list("TASKD_TRUSTED_PROXIES"))
        let levelName = value("TASKD_LOG_LEVEL")?.lowercased() ?? "info"
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ConfigurationError(
                "TASKD_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical")
        }
        logLevel = level
        accessTokenLifetime = .seconds(try integer("TASKD_ACCESS_TOKEN_TTL", default: 1800, in: 60...86_400))
        refreshTokenLifetime = .seconds(
            try integer("TASKD_REFRESH_TOKEN_TTL", default: 2_592_000, in: 300...31_536_000))
        bcryptCost = try integer("TASKD_BCRYPT_COST", default: 12, in: 4...31)
        loginAddressLimit = try integer("TASKD_LOGIN_ADDRESS_LIMIT", default: 100, in: 1...1_000_000)
        registerAddressLimit = try integer("TASKD_REGISTER_ADDRESS_LIMIT", default: 30, in: 0...1_000_000)
        adminEmails = list("TASKD_ADMIN_EMAILS")
        for email in adminEmails where !EmailAddress.errors(of: email).isEmpty {
            throw ConfigurationError("TASKD_ADMIN_EMAILS: \(email) is not a valid email address")
        }
        let timeout = try integer("TASKD_DB_TIMEOUT", default: 4, in: 1...300)
        let statementTimeout = try integer("TASKD_DB_STATEMENT_TIMEOUT", default: 3, in: 1...3600)
        databasePool = PoolSettings(
            size: try integer("TASKD_DB_POOL_SIZE", default: 20, in: 1...1000), timeout: .seconds(timeout),
            statementTimeout: .seconds(statementTimeout),
            idleTimeout: .seconds(try integer("TASKD_DB_IDLE_TIMEOUT", default: 10, in: 1...86_400)))
        httpIdleTimeout = .seconds(try integer("TASKD_HTTP_IDLE_TIMEOUT", default: 30, in: 1...3600))
        shutdownTimeout = .seconds(try integer("TASKD_SHUTDOWN_TIMEOUT", default: 10, in: 1...3600))
        eventRetentionDays = try integer(
            "TASKD_EVENT_RETENTION_DAYS", default: EventFeedService.defaultRetentionDays, in: 1...3650)
        func flag(_ name: String, default fallback: Bool = false) throws -> Bool {
            switch value(name)?.lowercased() ?? "\(fallback)" {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: throw ConfigurationError("\(name) must be true or false")
            }
        }
        usesPreparedStatements = try flag("TASKD_DB_PREPARED_STATEMENTS", default: true)
        webhookAllowsHTTP = try flag("TASKD_WEBHOOK_ALLOW_HTTP")
        webhookAllowsPrivate = try flag("TASKD_WEBHOOK_ALLOW_PRIVATE")
        webhookDelivery = WebhookDeliverySettings()
        webhookDelivery.timeout = TimeInterval(try integer("TASKD_WEBHOOK_TIMEOUT", default: 10, in: 1...60))
        webhookDelivery.concurrency = try integer("TASKD_WEBHOOK_CONCURRENCY", default: 16, in: 1...256)
        webhookDelivery.busyConcurrency = try integer("TASKD_WEBHOOK_BUSY_CONCURRENCY", default: 4, in: 1...256)
        webhookDelivery.disableAfter = TimeInterval(
            try integer("TASKD_WEBHOOK_DISABLE_AFTER", default: 259_200, in: 60...31_536_000))
        if let schedule = value("TASKD_WEBHOOK_RETRY_SCHEDULE") {
            do {
                webhookDelivery.retrySchedule = try WebhookDeliverySettings.retrySchedule(from: schedule)
            } catch {
                throw ConfigurationError(
                    "TASKD_WEBHOOK_RETRY_SCHEDULE must be 1 to 20 comma-separated whole seconds, each 1 to 604800")
            }
        }
        requireIfMatch = try flag("TASKD_REQUIRE_IF_MATCH")
        migrateOnStart = try flag("TASKD_MIGRATE_ON_START", default: true)
    }
}

extension TaskdConfiguration {
    /// `TASKD_ADMIN_EMAILS`, normalised (checked valid when the configuration was read).
    var administratorEmails: Set<EmailAddress> {
        Set(adminEmails.compactMap { try? EmailAddress($0) })
    }
}

/// A setting that keeps taskd from starting.
struct ConfigurationError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
