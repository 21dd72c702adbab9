import Foundation
import Synchronization

/// The event feeds of workspaces and projects: pages of the event log after a cursor, held open while there is
/// nothing new when the reader asks to wait (long polling).
public struct EventFeedService: Sendable {
    /// How many days events are kept by default (`TASKD_EVENT_RETENTION_DAYS`).
    public static let defaultRetentionDays = 30

    let store: any DataStore
    let now: Now
    let retention: TimeInterval
    let pollInterval: Duration
    let heartbeat: Duration
    let revalidation: Duration
    let fallback: Duration
    let closing = ClosingFlag()
    /// The process's one watcher of every feed, which wakes waiting readers.
    public let watcher: FeedWatcher
    private let readCount = ReadCount()

    /// Creates the service. A waiting reader reads its feed again when the watcher says its feed has new events;
    /// the watcher looks after each commit signal and at least every `pollInterval` (an event can become readable
    /// without a signal: when an older transaction elsewhere ends). Events are kept `retentionDays`; a cursor older than that is refused. A stream
    /// (`follow`) delivers an empty answer at least every `heartbeat` and asks whether its credential is still
    /// valid at least every `revalidation`. A waiting reader also reads its feed every `fallback` without being
    /// woken, which bounds what a lost wake-up costs.
    public init(
        store: any DataStore, now: @escaping Now = systemNow, retentionDays: Int = defaultRetentionDays,
        pollInterval: Duration = .milliseconds(500), heartbeat: Duration = .seconds(15),
        revalidation: Duration = .seconds(30), fallback: Duration = .seconds(5)
    ) {
        self.store = store
        self.now = now
        self.retention = TimeInterval(max(1, retentionDays)) * 24 * 60 * 60
        self.pollInterval = pollInterval
        self.heartbeat = heartbeat
        self.revalidation = revalidation
        self.fallback = fallback
        self.watcher = FeedWatcher(store: store, pollInterval: pollInterval)
    }

    /// How many times readers have read their feed (a page of a plain read, or one read of a waiting one).
    public var reads: Int { readCount.value.withLock { $0 } }

    /// How many long polls and streams wait for an event now.
    public var waitingReaders: Int { watcher.readers }

    /// Ends every stream (`follow`) of this service at once, for a shutdown: each returns at its next wake-up,
    /// which this causes.
    public func closeStreams() {
        closing.set()
        watcher.wakeAll()
    }

    /// Follows a feed for a live stream, after `cursor`: `deliver` gets each answer with events as soon as it is
    /// read, and an empty one at least every `heartbeat`. It returns when the caller's credential expires
    /// (`expiresAt`), when `stillValid` says it no longer is (asked at least every `revalidation`), when the caller
    /// may no longer read the feed, when `shouldStop` says so, or when the task is cancelled.
    public func follow(
        _ caller: Caller, _ scope: FeedScope, after cursor: String, kinds: Set<ActivityEventKind>?, expiresAt: Date?,
        stillValid: () async -> Bool, shouldStop: @escaping @Sendable () -> Bool,
        deliver: (FeedAnswer) async throws -> Void
    ) async throws {
        let clock = ContinuousClock()
        var cursor = cursor
        var lastCheck = clock.now
        while !Task.isCancelled && !shouldStop() && !closing.isSet {
            let at = now()
            var wait = heartbeat
            if let expiresAt {
                let left = expiresAt.timeIntervalSince(at)
                guard left > 0 else { return }
                wait = min(wait, .milliseconds(Int64(min(left, 86_400) * 1000)))
            }
            if lastCheck.duration(to: clock.now) >= revalidation {
                guard await stillValid() else { return }
                lastCheck = clock.now
            }
            var query = try FeedQuery(start: .cursor(cursor), limit: 100)
            query.kinds = kinds
            query.wait = wait
            let answer: FeedAnswer
            do {
                answer = try await feed(caller, scope, query)
            } catch let error as DomainError where error != .storeUnavailable {
                return  // no longer allowed to read the feed, or the cursor expired during a pause
            }
            if shouldStop() || closing.isSet { return }
            try await deliver(answer)
            cursor = answer.nextCursor
        }
    }

    /// The next events of `scope` for `query`: a workspace's to its `admin`s and `owner`s (and system
    /// administrators), a project's to its `viewer`s and up. The claim's caller is checked with the workspace or
    /// project it names.
    /// - Throws: `.unauthenticated` (or a personal access token's missing scope) first; `.notFound` when the caller
    ///   cannot see the workspace or project; `.forbidden` when they may not read its feed; `.validation` naming
    ///   `after` for a cursor of another feed; `.cursorExpired` for a cursor older than the events kept.
    public func feed(_ claim: some CallerClaim, _ scope: FeedScope, _ query: FeedQuery) async throws -> FeedAnswer {
        let cutoff = now().addingTimeInterval(-retention)
        var position = try await store.transaction { tx -> FeedPosition in
            try await Self.authorize(claim, toRead: scope, in: tx)
            switch query.start {
            case .oldest:
                return .start
            case .now:
                return try await tx.currentFeedPosition()
            case .cursor(let text):
                let cursor = try EventCursor.decode(text, for: scope)
                guard cursor.issuedAt >= cutoff.millisecondsSince1970 else { throw DomainError.cursorExpired }
                return cursor.position
            }
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: query.wait)
        // Only a reader that may wait registers with the watcher.
        let signal = query.wait > .zero ? await watcher.enter(scope) : nil
        defer { if signal != nil { watcher.leave(scope) } }
        while true {
            let generation = signal?.generation ?? 0
            readCount.value.withLock { $0 += 1 }
            let page = try await store.transaction { [position] tx in
                try await tx.feedEvents(in: scope, after: position, kinds: query.kinds, limit: query.limit)
            }
            position = page.next
            let remaining = clock.now.duration(to: deadline)
            if !page.events.isEmpty || remaining <= .zero || Task.isCancelled || closing.isSet {
                let issuedAt = now()
                return FeedAnswer(
                    events: page.events,
                    cursors: page.positions.map { EventCursor(scope: scope, position: $0, issuedAt: issuedAt).encoded },
                    nextCursor: EventCursor(scope: scope, position: position, issuedAt: issuedAt).encoded)
            }
            await signal?.wait(after: generation, timeout: min(remaining, fallback))
        }
    }

    /// Deletes the events older than the retention.
    public func removeExpiredEvents() async throws {
        let before = now().addingTimeInterval(-retention)
        try await BatchedDeletion.run {
            try await store.transaction { tx in
                try await tx.deleteEvents(before: before, limit: BatchedDeletion.batchSize)
            }
        }
    }

    /// The claim's caller is read with the workspace or project it names (one statement on PostgreSQL).
    private static func authorize(_ claim: some CallerClaim, toRead scope: FeedScope, in tx: any StoreTransaction)
        async throws
    {
        switch scope {
        case .workspace(let id):
            let (_, role, _) = try await tx.claimedWorkspace(id, by: claim)
            guard AccessPolicy.canReadWorkspaceEvents(role) else { throw DomainError.forbidden }
        case .project(let id):
            _ = try await tx.claimedProject(id, by: claim)
        }
    }
}

/// How many times feeds were read.
final class ReadCount: Sendable {
    let value = Mutex(0)
}

/// Set once, when the process shuts down; read by every stream.
final class ClosingFlag: Sendable {
    private let value = Mutex(false)

    func set() { value.withLock { $0 = true } }

    var isSet: Bool { value.withLock { $0 } }
}
