import Foundation
import Logging
import PostgresNIO
import TaskCore
import TaskTestSupport
import Testing

@testable import TaskStore

/// Loud when PostgreSQL tests cannot run here (outside CI only; in CI the conformance suite fails instead).
@Suite("PostgreSQL availability")
struct PostgresAvailabilityTests {
    @Test(
        "PostgreSQL store tests ran (skipped: TASKD_TEST_DATABASE_URL not set; use ./scripts/test)",
        .enabled(if: StoreKind.postgresURL != nil || StoreKind.isCI, "POSTGRESQL TESTS SKIPPED: run ./scripts/test"))
    func postgresConfigured() {
        #expect(StoreKind.postgresURL != nil, "CI must provide PostgreSQL")
    }
}

@Suite(
    "PostgreSQL store",
    .enabled(if: StoreKind.postgresURL != nil || StoreKind.isCI, "POSTGRESQL TESTS SKIPPED: run ./scripts/test"))
struct PostgresStoreTests {
    static let logger = Logger(label: "taskd.test")

    @Test("migrations are recorded, and applying them again (also twice at once) changes nothing")
    func migrations() async throws {
        let store = try await StoreKind.makePostgresStore()
        #expect(try await store.appliedMigrations() == Migrations.all.map(\.version))
        async let first = store.migrate()
        async let second = store.migrate()
        let applied = try await [first, second]
        #expect(applied == [[], []])
    }

    @Test("two processes migrating one fresh database at once: each migration is applied once")
    func concurrentFirstMigration() async throws {
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let url = try DatabaseURL(try #require(StoreKind.postgresURL))
        // A lease waits as long as the other tests' stores do (StoreKind): the whole suite opens its connections at
        // once, and on a loaded machine the first one may take longer than the 5 s a request would wait.
        let stores = (0..<2).map { _ in
            PostgresStore(
                url: url, pool: PoolSettings(size: 2, timeout: .seconds(20)), searchPath: "\(schema), public",
                logger: Self.logger)
        }
        for store in stores { Task.detached { try? await store.run() } }
        try await stores[0].transaction { tx in
            try await (tx as? PostgresTransaction)?.execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"))
        }
        async let first = stores[0].migrate()
        async let second = stores[1].migrate()
        let applied = try await first + second
        #expect(applied.sorted() == Migrations.all.map(\.version))
        #expect(try await stores[1].appliedMigrations() == Migrations.all.map(\.version))
    }

    @Test("data survives the store being closed and opened again")
    func durability() async throws {
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let (first, runner) = try await StoreKind.openPostgresStore(schema: schema)
        let registered = try await TestWorld(store: first).register("alice")
        runner.cancel()
        await runner.value
        #expect(await !first.isReady(), "the first store is closed")
        let reopened = try await StoreKind.makePostgresStore(schema: schema)
        let user = try await reopened.transaction { tx in try await tx.user(registered.id) }
        #expect(user?.email.value == "alice@example.com")
    }

    @Test("the store fails fast while PostgreSQL is down and recovers by itself when it is back")
    func recovery() async throws {
        let cluster = try await ThrowawayCluster()
        try await cluster.start()
        var logger = Logger(label: "taskd.test.recovery")
        logger.logLevel = .critical
        let store = PostgresStore(
            url: try DatabaseURL(cluster.url()), pool: PoolSettings(timeout: .seconds(2)), logger: logger)
        Task.detached { try? await store.run() }
        try await store.migrate()
        let world = TestWorld(store: store)
        let alice = try await world.register("alice")
        #expect(await store.isReady())

        try await cluster.stop()
        let started = ContinuousClock.now
        await #expect(throws: DomainError.storeUnavailable) { try await world.accounts.me(alice) }
        #expect(ContinuousClock.now - started < .seconds(8), "fails fast, not after a long hang")
        #expect(await !store.isReady())

        try await cluster.start()
        var recovered = false
        for _ in 0..<40 where !recovered {
            recovered = (try? await world.accounts.me(alice)) != nil
            if !recovered { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(recovered, "the same store works again without a restart")
        #expect(try await world.accounts.me(alice).name == "alice")
        await cluster.remove()
    }

    @Test("a statement that outlives statement_timeout fails as unavailable (503), not as an internal error")
    func statementTimeout() async throws {
        let url = try #require(StoreKind.postgresURL)
        let store = PostgresStore(
            url: try DatabaseURL(url),
            pool: PoolSettings(size: 1, timeout: .seconds(30), statementTimeout: .milliseconds(200)),
            logger: Self.logger)
        let runner = Task.detached { _ = try? await store.run() }
        await #expect(throws: DomainError.storeUnavailable) {
            try await store.transaction { tx in
                guard let tx = tx as? PostgresTransaction else { return }
                try await tx.execute("SELECT pg_sleep(5)")
            }
        }
        await #expect(throws: Never.self, "the store serves again") {
            try await store.transaction { tx in try await (tx as? PostgresTransaction)?.execute("SELECT 1") }
        }
        runner.cancel()
    }

    @Test("sslmode=require connects over TLS")
    func tls() async throws {
        let cluster = try await ThrowawayCluster(tls: true)
        try await cluster.start()
        // A lease waits as long as for every other test store: the whole suite opens its connections at once.
        let store = PostgresStore(
            url: try DatabaseURL(cluster.url(sslmode: "require")), pool: PoolSettings(size: 2, timeout: .seconds(20)),
            logger: Self.logger)
        Task.detached { try? await store.run() }
        let isEncrypted = try await store.transaction { tx in
            try await (tx as? PostgresTransaction)?.rows(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
            ) { try $0.decode(Bool.self) }.first
        }
        #expect(isEncrypted == true)
        await cluster.remove()
    }

    @Test("a Unix-socket DATABASE_URL connects")
    func unixSocket() async throws {
        let socketDirectory = try #require(ProcessInfo.processInfo.environment["TASKD_TEST_PG_SOCKET_DIR"])
        let tcpURL = try #require(StoreKind.postgresURL)
        let port = try #require(URLComponents(string: tcpURL)?.port)
        let url = "postgres://postgres@/taskd_test?host=\(socketDirectory)&port=\(port)"
        let store = PostgresStore(
            url: try DatabaseURL(url), pool: PoolSettings(size: 2, timeout: .seconds(20)), logger: Self.logger)
        Task.detached { try? await store.run() }
        #expect(await store.isReady())
    }

    @Test("a user string with SQL in it is stored as text")
    func parameterised() async throws {
        let world = TestWorld(store: try await StoreKind.makePostgresStore())
        let alice = try await world.register("alice")
        let title = "x'); DROP TABLE tasks; --"
        let task = try await world.tasks.create(alice, NewTask(title: title))
        #expect(try await world.tasks.task(alice, id: task.id).title == title)
    }
}

@Suite("DATABASE_URL")
struct DatabaseURLTests {
    @Test("the usual forms parse; the password never shows in the description")
    func parses() throws {
        let url = try DatabaseURL("postgres://app:s3cr%40t@db.example.com:6543/taskd?sslmode=require")
        #expect(!url.description.contains("s3cr"))
        #expect(url.description.contains("db.example.com:6543/taskd"))
        _ = try DatabaseURL("postgresql://app@localhost/taskd")
        _ = try DatabaseURL("postgres://app@%2Fvar%2Frun%2Fpostgresql/taskd")
        _ = try DatabaseURL("postgres://app@/taskd?host=/tmp&port=5433")
        _ = try DatabaseURL("postgres://app@localhost/taskd?sslmode=verify-full")
    }

    @Test("several hosts parse in order, each with its port or the default; the password stays hidden")
    func severalHosts() throws {
        let url = try DatabaseURL(
            "postgres://app:s3cr%40t@db1.example.com:6543,db2.example.com,[::1]:5433/taskd?target_session_attrs=read-write"
        )
        #expect(url.configurations.map(\.host) == ["db1.example.com", "db2.example.com", "::1"])
        #expect(url.configurations.map(\.port) == [6543, 5432, 5433])
        #expect(url.configurations.allSatisfy { $0.database == "taskd" && $0.username == "app" })
        #expect(url.targetSession == .readWrite)
        #expect(!url.description.contains("s3cr") && url.description.contains("db1.example.com:6543,db2.example.com"))
        #expect(try DatabaseURL("postgres://app@h1,h2/taskd?port=6000").configurations.map(\.port) == [6000, 6000])
        #expect(try DatabaseURL("postgres://app@h1/taskd").targetSession == .any)
        #expect(try DatabaseURL("postgres://app@h1/taskd?target_session_attrs=primary").targetSession == .primary)
    }

    @Test(
        "other schemes, unknown sslmodes, empty hosts, bad ports and read-only session kinds are refused",
        arguments: [
            "mysql://app@localhost/taskd", "not a url", "postgres://app@localhost/taskd?sslmode=sometimes",
            "postgres://app@h1,,h2/taskd", "postgres://app@h1:99999,h2/taskd", "postgres://app@h1:x,h2/taskd",
            "postgres://app@h1,h2/taskd?target_session_attrs=read-only",
            "postgres://app@h1/taskd?target_session_attrs=standby", "postgres://app@[::1,h2/taskd",
        ])
    func refuses(text: String) {
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(text) }
    }
}
