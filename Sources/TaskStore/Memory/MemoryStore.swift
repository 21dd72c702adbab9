import DequeModule
import Synchronization
import TaskCore

/// The embedded store: every row in memory, lost when the process ends.
///
/// Transactions that change rows run one at a time (a waiting transaction suspends, it does not block a thread)
/// and roll back by restoring the state they started from, so multi-step changes are atomic however many tasks run
/// at once. A transaction takes its turn at its first write or locking read (`lockUser`, a `RowLock`, ...), as a
/// PostgreSQL transaction takes its first row lock; until then each of its reads sees the state the last commit
/// left, as under READ COMMITTED, without waiting for the transaction that holds the turn. So a long list holds up
/// no other request, and a request that only reads never waits for one that writes. A transaction started inside
/// another one's work joins it (see `DataStore.transaction`).
///
/// The state sits behind a mutex rather than in an actor: a transaction's reads and writes run on the task that
/// runs the transaction, without hopping to another executor and back for each one. The state a transaction
/// changes has a mutex of its own, which only the holder of the turn takes: a write's work (a trie's path copied, an
/// index changed) holds up no reader and no transaction that asks for the turn, which take the other mutex only for
/// a moment.
public final class MemoryStore: DataStore {
    private let guarded = Mutex(Guarded())
    /// The state the holder of the turn reads and changes; between transactions, the last committed state.
    private let working = Mutex(MemoryState())
    /// Notified after each commit of a transaction that recorded events.
    public let eventSignal = EventSignal()

    /// What the mutex guards.
    private struct Guarded: Sendable {
        /// The transaction that may read and write the working state now, if any.
        var holder: TransactionNumber?
        /// The state the last commit left: restored when `holder` fails, and what other transactions read
        /// meanwhile.
        var committed = CommittedState(MemoryState())
        /// The idempotency records, beside the state rather than in it (see `MemoryIdempotencyRecords`).
        var idempotencyRecords = MemoryIdempotencyRecords()
        /// The transactions waiting for their turn, first come first served.
        var waiting: Deque<Waiter> = []
        var lastNumber: TransactionNumber = 0

        /// Gives the turn to `number`.
        mutating func hand(to number: TransactionNumber) {
            holder = number
        }
    }

    /// A transaction waiting for its turn. A struct rather than a tuple: a tuple's type is looked up at run time
    /// (under a lock) where generic code such as `Deque`'s stores or frees one, here inside the hand-off of the turn.
    private struct Waiter: Sendable {
        let number: TransactionNumber
        let turn: CheckedContinuation<Void, Never>
    }

    /// A committed state, boxed: a read takes one reference to it under the mutex instead of copying a reference
    /// to every table.
    private final class CommittedState: Sendable {
        let state: MemoryState

        init(_ state: MemoryState) { self.state = state }
    }

    /// Creates an empty store.
    public init() {}

    /// Every row, as of now; for tests and diagnostics.
    var state: MemoryState { working.withLock { $0 } }

    /// Runs `work`, whose reads and writes happen while no other transaction runs; restores the state it started
    /// from when `work` throws. Inside another transaction's work it joins that transaction.
    public func transaction<Result: Sendable>(
        _ work: @escaping @Sendable (any StoreTransaction) async throws -> Result
    ) async throws -> Result {
        let id = ObjectIdentifier(self)
        if let joined = JoinedTransactions.memory[id] {
            return try await work(MemoryTransaction(store: self, number: joined))
        }
        let number = guarded.withLock { guarded in
            guarded.lastNumber &+= 1
            return guarded.lastNumber
        }
        var joinable = JoinedTransactions.memory
        joinable[id] = number
        do {
            let result = try await JoinedTransactions.$memory.withValue(joinable) {
                try await work(MemoryTransaction(store: self, number: number))
            }
            end(number, rollingBack: false)
            return result
        } catch {
            end(number, rollingBack: true)
            throw error
        }
    }

    /// Always ready: the store is in memory.
    public func isReady() async -> Bool { true }

    /// Runs `body` on the state transaction `number` reads: the state it changes when it holds the turn, else the
    /// state the last commit left (a persistent value, read without holding the mutex or waiting for the turn).
    func withReadableState<Result: Sendable>(
        _ number: TransactionNumber, _ body: @Sendable (MemoryState) throws -> Result
    ) rethrows -> Result {
        let committed: CommittedState? = guarded.withLock { guarded in
            guarded.holder == number ? nil : guarded.committed
        }
        if let committed { return try body(committed.state) }
        return try working.withLock { state in try body(state) }
    }

    /// Runs `body` on the state for transaction `number`, first waiting for its turn if it has not begun.
    func withState<Result: Sendable>(
        _ number: TransactionNumber, _ body: @Sendable (inout MemoryState) throws -> Result
    ) async rethrows -> Result {
        await takeTurn(number)
        return try working.withLock { state in try body(&state) }
    }

    /// The idempotency record under `key` as transaction `number` reads it: with its own changes when it holds the
    /// turn, else as the last commit left it.
    func idempotencyRecord(_ key: IdempotencyRecordKey, for number: TransactionNumber) -> IdempotencyRecord? {
        guarded.withLock { guarded in
            guarded.idempotencyRecords.record(key, asHolder: guarded.holder == number)
        }
    }

    /// Runs `body` on the idempotency records for transaction `number`, first waiting for its turn if it has not
    /// begun; the changes it makes are kept when the transaction commits.
    func withIdempotencyRecords<Result: Sendable>(
        _ number: TransactionNumber, _ body: @Sendable (inout MemoryIdempotencyRecords) -> Result
    ) async -> Result {
        // The holder, as a keyed request's transaction is by the time it records, takes the mutex once: every
        // other request takes it too, and the turn waits while the holder waits for it.
        let asHolder = guarded.withLock { guarded -> Result? in
            guarded.holder == number ? body(&guarded.idempotencyRecords) : nil
        }
        if let asHolder { return asHolder }
        await begin(number)
        return guarded.withLock { guarded in body(&guarded.idempotencyRecords) }
    }

    /// Waits for `number`'s turn unless it holds it already.
    private func takeTurn(_ number: TransactionNumber) async {
        if guarded.withLock({ $0.holder != number }) { await begin(number) }
    }

    /// Waits until it is `number`'s turn.
    private func begin(_ number: TransactionNumber) async {
        let isFree = guarded.withLock { guarded in
            guard guarded.holder == nil else { return false }
            guarded.hand(to: number)
            return true
        }
        if isFree { return }
        await withCheckedContinuation { (turn: CheckedContinuation<Void, Never>) in
            let isFreeNow = guarded.withLock { guarded in
                guard guarded.holder == nil else {
                    guarded.waiting.append(Waiter(number: number, turn: turn))
                    return false
                }
                guarded.hand(to: number)
                return true
            }
            if isFreeNow { turn.resume() }
        }
    }

    /// Ends transaction `number` if it had begun, restoring its starting state when `rollingBack`, and hands the
    /// turn to the next waiting transaction.
    private func end(_ number: TransactionNumber, rollingBack: Bool) {
        // Only the holder changes the working state, and this transaction holds the turn until the hand-off below.
        guard let lastCommit = guarded.withLock({ $0.holder == number ? $0.committed : nil }) else { return }
        let replaced: ReplacedState
        let committing: CommittedState?
        let recordedEvents: Bool
        if rollingBack {
            replaced = working.withLock { state in
                defer { state = lastCommit.state }
                return .rolledBack(state)
            }
            committing = nil
            recordedEvents = false
        } else {
            replaced = .committedBefore(lastCommit)
            (committing, recordedEvents) = working.withLock { state in
                let recordedEvents = state.hasNewEvents
                state.hasNewEvents = false
                return (CommittedState(state), recordedEvents)
            }
        }
        let next = guarded.withLock { guarded -> CheckedContinuation<Void, Never>? in
            if let committing {
                guarded.committed = committing
                guarded.idempotencyRecords.commit()
            } else {
                guarded.idempotencyRecords.rollBack()
            }
            guard let next = guarded.waiting.popFirst() else {
                guarded.holder = nil
                return nil
            }
            guarded.hand(to: next.number)
            return next.turn
        }
        next?.resume()
        if recordedEvents { eventSignal.notify() }
        // Freeing what no state shares any more (the nodes a commit replaced, or a rolled-back change's) is most of
        // a commit's work: done here, after the mutexes are released and the next transaction woken.
        withExtendedLifetime(replaced) {}
    }

    /// The state an ending transaction replaced, freed once nothing else refers to it.
    private enum ReplacedState {
        /// The state the last commit before it left.
        case committedBefore(CommittedState)
        /// The transaction's own changes, rolled back.
        case rolledBack(MemoryState)
    }
}

/// Tells apart the transactions of one `MemoryStore`.
typealias TransactionNumber = UInt64

/// The transactions the current task runs inside, so that a transaction started within another's work joins it.
enum JoinedTransactions {
    /// The memory stores whose transaction the current task runs in, with that transaction's number.
    @TaskLocal static var memory: [ObjectIdentifier: TransactionNumber] = [:]
    /// The PostgreSQL transaction the current task runs in, with its store.
    @TaskLocal static var postgres: (store: ObjectIdentifier, transaction: PostgresTransaction)?
}
