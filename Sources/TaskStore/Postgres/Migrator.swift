import Logging
import PostgresNIO

/// Applies the pending migrations, recorded in `schema_migrations`, under a PostgreSQL advisory lock so that
/// several taskd processes starting at once migrate once.
struct Migrator {
    let connection: PostgresConnection
    let logger: Logger

    /// An arbitrary constant that names taskd's migration lock ("taskd" in ASCII).
    static let lockKey: Int64 = 0x7461_736B_64

    /// Applies every migration not yet recorded, in order; returns the versions applied.
    ///
    /// Migrations may take longer than a request's statement: the session's `statement_timeout` is lifted while they
    /// run (and while one process waits for another's), then reset.
    func migrate() async throws -> [Int] {
        try await connection.query("SET statement_timeout = 0", logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
            let applied: [Int]
            do {
                applied = try await apply(on: connection)
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
            try await connection.query("RESET statement_timeout", logger: logger)
            return applied
        } catch {
            _ = try? await connection.query("RESET statement_timeout", logger: logger)
            throw error
        }
    }

    /// The versions recorded as applied.
    func appliedVersions() async throws -> [Int] {
        try await ensureTable(on: connection)
        return try await versions(on: connection)
    }

    private func apply(on connection: PostgresConnection) async throws -> [Int] {
        try await ensureTable(on: connection)
        let done = Set(try await versions(on: connection))
        var applied: [Int] = []
        for migration in Migrations.all where !done.contains(migration.version) {
            logger.info(
                "applying migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            try await connection.query("BEGIN", logger: logger)
            do {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(migration.version), \(migration.name), now())",
                    logger: logger)
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
            applied.append(migration.version)
        }
        return applied
    }

    private func ensureTable(on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)
            """, logger: logger)
    }

    private func versions(on connection: PostgresConnection) async throws -> [Int] {
        var versions: [Int] = []
        let rows = try await connection.query("SELECT version FROM schema_migrations ORDER BY version", logger: logger)
        for try await version in rows.decode(Int.self) { versions.append(version) }
        return versions
    }
}
