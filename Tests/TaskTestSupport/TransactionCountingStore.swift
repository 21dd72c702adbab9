import Synchronization
import TaskCore

/// A store that counts the transactions started on it and passes each to the store it wraps. A transaction that
/// joins one already running (started by the same task inside its work) is not counted: `count` is how many times
/// a store connection would have been taken.
public final class TransactionCountingStore: DataStore {
    private let wrapped: any DataStore
    private let started = Mutex(0)

    /// Wraps `store`.
    public init(_ store: any DataStore) {
        wrapped = store
    }

    /// How many outermost transactions have started.
    public var count: Int { started.withLock { $0 } }

    /// Counts the transaction unless it joins one, then runs it on the wrapped store.
    public func transaction<Result: Sendable>(
        _ work: @escaping @Sendable (any StoreTransaction) async throws -> Result
    ) async throws -> Result {
        guard !Self.isInside else { return try await wrapped.transaction(work) }
        started.withLock { $0 += 1 }
        return try await Self.$isInside.withValue(true) { try await wrapped.transaction(work) }
    }

    /// The wrapped store's readiness.
    public func isReady() async -> Bool { await wrapped.isReady() }

    /// The wrapped store's signal.
    public var eventSignal: EventSignal { wrapped.eventSignal }

    @TaskLocal private static var isInside = false
}
