import TaskCore

/// The embedded store: every row in memory, lost when the process ends.
///
/// Transactions run one at a time (a waiting transaction suspends, it does not block a thread) and roll back by
/// restoring the state they started from, so multi-step changes are atomic however many tasks run at once. A
/// transaction started inside another one's work joins it (see `DataStore.transaction`).
public actor MemoryStore: DataStore {
    var state = MemoryState()
    private var isInTransaction = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Creates an empty store.
    public init() {}

    /// Runs `work` while no other transaction runs; restores the state it started from when `work` throws. Inside
    /// another transaction's work it joins that transaction (see `DataStore.transaction`).
    public func transaction<Result: Sendable>(
        _ work: @escaping @Sendable (any StoreTransaction) async throws -> Result
    ) async throws -> Result {
        let id = ObjectIdentifier(self)
        if JoinedTransactions.memory.contains(id) { return try await work(MemoryTransaction(store: self)) }
        await begin()
        let snapshot = state
        do {
            let result = try await JoinedTransactions.$memory.withValue(JoinedTransactions.memory.union([id])) {
                try await work(MemoryTransaction(store: self))
            }
            end()
            return result
        } catch {
            state = snapshot
            end()
            throw error
        }
    }

    /// Always ready: the store is in memory.
    public func isReady() async -> Bool { true }

    private func begin() async {
        guard isInTransaction else {
            isInTransaction = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func end() {
        if waiting.isEmpty {
            isInTransaction = false
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// Runs `body` on the state; the transaction's reads and writes go through here.
    func withState<Result: Sendable>(_ body: @Sendable (inout MemoryState) throws -> Result) rethrows -> Result {
        try body(&state)
    }
}

/// The transactions the current task runs inside, so that a transaction started within another's work joins it.
enum JoinedTransactions {
    /// The memory stores whose transaction the current task runs in.
    @TaskLocal static var memory: Set<ObjectIdentifier> = []
    /// The PostgreSQL transaction the current task runs in, with its store.
    @TaskLocal static var postgres: (store: ObjectIdentifier, transaction: PostgresTransaction)?
}
