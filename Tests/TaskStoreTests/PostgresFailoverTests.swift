import Foundation
import Logging
import PostgresNIO
import TaskCore
import TaskTestSupport
import Testing

@testable import TaskStore

/// Several hosts in `DATABASE_URL`, a host that becomes a standby, and statements a transaction pooler can carry.
/// A "standby" here is a server made read-only (`default_transaction_read_only`), which answers a write as a hot
/// standby does (SQLSTATE 25006) and a `SHOW transaction_read_only` with `on`.
@Suite("PostgreSQL: several hosts and failover", .serialized)
struct PostgresFailoverTests {
    static let logger: Logger = {
        var logger = Logger(label: "taskd.test.failover")
        logger.logLevel = .critical
        return logger
    }()

    /// A store on `url`, its pools running, with short time limits.
    static func store(_ url: String, preparedStatements: Bool = true) throws -> (PostgresStore, Task<Void, Never>) {
        let store = PostgresStore(
            url: try DatabaseURL(url), pool: PoolSettings(size: 2, timeout: .seconds(3)), listensForEvents: false,
            usesPreparedStatements: preparedStatements, logger: logger)
        return (store, Task.detached { _ = try? await store.run() })
    }

    /// Makes the server read-only, or writable again, for new transactions of every session.
    static func setReadOnly(_ cluster: ThrowawayCluster, _ readOnly: Bool) async throws {
        try await cluster.sql("ALTER SYSTEM SET default_transaction_read_only = \(readOnly ? "on" : "off")")
        try await cluster.sql("SELECT pg_reload_conf()")
    }

    /// Registers `name` through `world`, retrying while the store answers `storeUnavailable` (at most 15 s); any
    /// other error fails the test. - Returns: whether it succeeded, and how many attempts were refused.
    static func registerEventually(_ name: String, _ world: TestWorld) async throws -> (Bool, Int) {
        var refused = 0
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .seconds(15) {
            do {
                _ = try await world.register(name)
                return (true, refused)
            } catch DomainError.storeUnavailable {
                refused += 1
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        return (false, refused)
    }

    @Test("with target_session_attrs=read-write the store writes to the host that can, and follows it when it moves")
    func followsThePrimary() async throws {
        let first = try await ThrowawayCluster()
        let second = try await ThrowawayCluster()
        try await first.start()
        try await second.start()
        for cluster in [first, second] {
            let (store, runner) = try Self.store(cluster.url())
            try await store.migrate()
            runner.cancel()
        }
        try await Self.setReadOnly(first, true)
        let url =
            "postgres://postgres@127.0.0.1:\(first.port),127.0.0.1:\(second.port)/postgres?target_session_attrs=read-write"
        let (store, runner) = try Self.store(url)
        let world = TestWorld(store: store)
        _ = try await world.register("alice")
        #expect(try await second.sql("SELECT count(*) FROM users") == "1")
        #expect(try await first.sql("SELECT count(*) FROM users") == "0")

        // A failover: the second becomes a standby, the first the primary.
        try await Self.setReadOnly(second, true)
        try await Self.setReadOnly(first, false)
        let (moved, _) = try await Self.registerEventually("bob", world)
        #expect(moved, "writes succeed again without a restart")
        #expect(try await first.sql("SELECT count(*) FROM users WHERE name = 'bob'") == "1")

        // The primary's server dies outright; the other one is promoted.
        try await first.signal("KILL")
        try await Self.setReadOnly(second, false)
        let (back, _) = try await Self.registerEventually("carol", world)
        #expect(back)
        #expect(try await second.sql("SELECT count(*) FROM users WHERE name = 'carol'") == "1")
        runner.cancel()
        await first.remove()
        await second.remove()
    }

    @Test("without a host that can write, every transaction is storeUnavailable (503), never another error")
    func noPrimary() async throws {
        let only = try await ThrowawayCluster()
        try await only.start()
        let (migrating, migrator) = try Self.store(only.url())
        try await migrating.migrate()
        migrator.cancel()
        try await Self.setReadOnly(only, true)
        let dead = try await ThrowawayCluster.freePort()
        let (store, runner) = try Self.store(
            "postgres://postgres@127.0.0.1:\(dead),127.0.0.1:\(only.port)/postgres?target_session_attrs=read-write")
        let world = TestWorld(store: store)
        await #expect(throws: DomainError.storeUnavailable) { try await world.register("alice") }
        #expect(await !store.isReady())
        try await Self.setReadOnly(only, false)
        let (recovered, _) = try await Self.registerEventually("alice", world)
        #expect(recovered)
        runner.cancel()
        await only.remove()
    }

    @Test("hosts are tried in order: a host that does not answer is passed over")
    func passesOverADeadHost() async throws {
        let text = try #require(StoreKind.postgresURL)
        let live = try #require(URLComponents(string: text))
        let dead = try await ThrowawayCluster.freePort()
        let (store, runner) = try Self.store(
            "postgres://\(live.user ?? "postgres")@127.0.0.1:\(dead),\(live.host ?? "127.0.0.1"):\(live.port ?? 5432)"
                + live.path)
        #expect(await store.isReady())
        runner.cancel()
    }

    @Test("with prepared statements off, nothing is prepared on the connection and every statement still works")
    func withoutPreparedStatements() async throws {
        let text = try #require(StoreKind.postgresURL)
        for prepared in [false, true] {
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let store = PostgresStore(
                url: try DatabaseURL(text), pool: PoolSettings(size: 1, timeout: .seconds(20)),
                searchPath: "\(schema), public", listensForEvents: false, usesPreparedStatements: prepared,
                logger: Self.logger)
            let runner = Task.detached { _ = try? await store.run() }
            try await store.transaction { tx in
                try await (tx as? PostgresTransaction)?.execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"))
            }
            try await store.migrate()
            let world = TestWorld(store: store)
            let alice = try await world.register("alice")
            let workspace = try await world.workspace(owner: alice)
            let task = try await world.tasks.create(alice, NewTask(title: "T", workspaceID: workspace))
            _ = try await world.tasks.update(alice, id: task.id, TaskPatch(title: .set("U")))
            #expect(try await world.tasks.task(alice, id: task.id).title == "U")
            #expect(try await world.accounts.me(alice).name == "alice")
            let count = try await store.transaction { tx in
                try await (tx as? PostgresTransaction)?.rows("SELECT count(*) FROM pg_prepared_statements") { row in
                    try row.decode(Int64.self)
                }.first ?? -1
            }
            #expect(prepared ? count > 0 : count == 0, "prepared: \(prepared), statements prepared: \(count)")
            runner.cancel()
        }
    }
}
