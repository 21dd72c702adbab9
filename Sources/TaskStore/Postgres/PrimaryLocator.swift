import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization
import TaskCore

/// Which of the `DATABASE_URL`'s hosts the store uses: the first, in the URL's order, that answers with the session
/// `target_session_attrs` asks for. With one host and `any`, that is always the host, and nothing is checked.
///
/// The host found is kept until a transaction on it fails for want of the database (a lost connection, a write
/// refused because the host became a standby) or the periodic check finds it no longer fits (`recheck`); the next
/// transaction then looks again. Looks are single-flight: however many transactions need a host at once, one look
/// probes the hosts, all in parallel, each bounded by `probeTimeout`.
final class PrimaryLocator: Sendable {
    let clients: [PostgresClient]
    /// Each client's TCP host and port (`nil` for a Unix socket).
    let hosts: [(host: String, port: Int)?]
    let target: DatabaseURL.TargetSession
    let probeTimeout: Duration
    let logger: Logger
    /// The index of the host in use, or -1 when none is known.
    private let known = Atomic<Int>(-1)
    private let look = Mutex<Task<Int?, Never>?>(nil)

    init(
        clients: [PostgresClient], hosts: [(host: String, port: Int)?], target: DatabaseURL.TargetSession,
        probeTimeout: Duration, logger: Logger
    ) {
        self.clients = clients
        self.hosts = hosts
        self.target = target
        self.probeTimeout = probeTimeout
        self.logger = logger
        if clients.count == 1 && target == .any { known.store(0, ordering: .releasing) }
    }

    /// Whether hosts are ever checked: several hosts, or a session kind to check.
    var checksHosts: Bool { clients.count > 1 || target != .any }

    /// The index of the host in use, if one is known.
    var currentIndex: Int? {
        let index = known.load(ordering: .acquiring)
        return index >= 0 ? index : nil
    }

    /// The host to use, and its index, looking for one when none is known. A caller waits for a look at most until
    /// `deadline` (its transaction's); the look goes on for the next one.
    /// - Throws: `DomainError.storeUnavailable` when no host fits, or none was found by `deadline`.
    func client(until deadline: NIODeadline) async throws -> (PostgresClient, Int) {
        if let index = currentIndex { return (clients[index], index) }
        let task = look.withLock { look -> Task<Int?, Never> in
            if let running = look { return running }
            let started = Task {
                let found = await self.probeAll()
                self.look.withLock { $0 = nil }
                return found
            }
            look = started
            return started
        }
        let found = try await DeadlineRace.run(until: deadline, expire: { true }) { await task.value }
        guard let found else { throw DomainError.storeUnavailable }
        return (clients[found], found)
    }

    /// Forgets host `index` after a transaction on it failed for want of the database, so that the next one looks
    /// again. Does nothing with one host and no session kind to check.
    func forget(_ index: Int) {
        guard checksHosts else { return }
        if known.compareExchange(expected: index, desired: -1, ordering: .acquiringAndReleasing).exchanged {
            logger.notice("looking for the database host again", metadata: ["host": "\(index)"])
        }
    }

    /// Checks that the host in use still fits; forgets it when it does not (a primary demoted to a standby that
    /// still answers reads).
    func recheck() async {
        guard checksHosts, let index = currentIndex else { return }
        if await probe(index) == false { forget(index) }
    }

    /// Probes every host at once and keeps the first, in the URL's order, that fits.
    private func probeAll() async -> Int? {
        let found = await withTaskGroup(of: (Int, Bool).self) { group -> Int? in
            for index in clients.indices { group.addTask { (index, await self.probe(index)) } }
            var outcomes = [Bool?](repeating: nil, count: clients.count)
            for await (index, fits) in group {
                outcomes[index] = fits
                // The first host that fits, once every host before it is known not to.
                for candidate in outcomes.indices {
                    guard let fits = outcomes[candidate] else { break }
                    if fits {
                        group.cancelAll()
                        return candidate
                    }
                }
            }
            return nil
        }
        if let found {
            known.store(found, ordering: .releasing)
            logger.notice("using database host", metadata: ["host": "\(found)", "of": "\(clients.count)"])
        } else {
            logger.warning("no database host answers with a session taskd can use")
        }
        return found
    }

    /// Whether host `index` answers within `probeTimeout` with the session the target asks for. A host that refuses
    /// TCP connections is known at once: the pool would keep retrying until the timeout.
    private func probe(_ index: Int) async -> Bool {
        if let host = hosts[index], await !Self.acceptsConnections(host.host, host.port, within: probeTimeout) {
            return false
        }
        let client = clients[index]
        let target = target
        let logger = logger
        let deadline = NIODeadline.now() + TimeAmount(probeTimeout)
        // A pooler in front of a dead server holds the query (PgBouncer: up to `query_wait_timeout`), so the probe
        // does not wait for its check past the deadline: it closes the connection and answers no.
        let probing = Mutex<PostgresConnection?>(nil)
        do {
            return try await DeadlineRace.run(
                until: deadline,
                expire: {
                    _ = probing.withLock { $0 }?.close() as EventLoopFuture<Void>?
                    return true
                }
            ) {
                try await client.withConnection { connection in
                    probing.withLock { $0 = connection }
                    switch target {
                    case .any:
                        return true
                    case .readWrite:
                        for try await value in try await connection.query("SHOW transaction_read_only", logger: logger)
                        {
                            return try value.decode(String.self) == "off"
                        }
                        return false
                    case .primary:
                        for try await value in try await connection.query("SELECT pg_is_in_recovery()", logger: logger)
                        {
                            return try value.decode(Bool.self) == false
                        }
                        return false
                    }
                }
            }
        } catch {
            return false
        }
    }

    /// Whether a TCP connection to `host:port` opens within `timeout` (it is closed at once).
    private static func acceptsConnections(_ host: String, _ port: Int, within timeout: Duration) async -> Bool {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(TimeAmount(timeout))
                .connect(host: host, port: port).get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }
}
