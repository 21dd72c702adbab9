/// A store of every aggregate that runs use cases' reads and writes in transactions.
///
/// Implementations: `MemoryStore` (embedded default) and `PostgresStore`; both pass `StoreConformanceTests`.
public protocol DataStore: Sendable {
    /// Runs `work` in one transaction: either every change it makes is kept, or, when it throws, none is.
    ///
    /// Concurrent transactions behave as if run one after another for the rows they lock (see `StoreTransaction`).
    ///
    /// A transaction started inside another one's `work` (by the same task) joins it: its changes commit or roll
    /// back with the outer transaction. So a caller can put several use cases, or a use case and the record of its
    /// answer, into one atomic unit. When a joined transaction throws, the outer one can only roll back (PostgreSQL
    /// refuses every further statement of a failed transaction): its `work` must throw too.
    /// - Throws: what `work` throws, unchanged; `DomainError.storeUnavailable` when the store cannot be reached.
    func transaction<Result: Sendable>(
        _ work: @escaping @Sendable (any StoreTransaction) async throws -> Result
    ) async throws -> Result

    /// Whether the store answers; backs the readiness probe.
    func isReady() async -> Bool

    /// Notified after each commit of a transaction that recorded events (and, for a store shared by several
    /// processes, when it learns that another process committed some); readers of the feeds wait on it.
    var eventSignal: EventSignal { get }

    /// Notified after each commit of a transaction that queued webhook deliveries (and, for a store shared by
    /// several processes, when it learns that another process committed some); the delivery worker waits on it.
    /// A store that cannot tell which commits queued deliveries answers `eventSignal`.
    var deliverySignal: EventSignal { get }
}

extension DataStore {
    /// `eventSignal`: every commit of events may have queued deliveries.
    public var deliverySignal: EventSignal { eventSignal }
}

/// Every read and write a use case can make inside one transaction.
///
/// One rule for rows that are not there: a read returns `nil` (or an empty list), every `update…` throws
/// `DomainError.notFound` naming what is gone, and a `delete…` of a row that is gone does nothing.
public protocol StoreTransaction:
    UserStore, WorkspaceStore, ProjectStore, TaskItemStore, CommentStore, ActivityStore, SessionStore, AccessFactStore,
    IdempotencyStore, EventFeedStore, WebhookStore, WebhookDeliveryStore, PersonalTokenStore
{}
