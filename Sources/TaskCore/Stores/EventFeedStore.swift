import Foundation

/// The event log read as feeds, inside a transaction.
///
/// A feed lists the committed events of one workspace or project in one order that every reader sees, whatever
/// order concurrent transactions committed in: a reader that passes back the position it was given gets every
/// event committed since, each exactly once. A store orders events by something fixed before its transaction
/// commits (PostgreSQL: the transaction id) and holds back those that an older, still running transaction could
/// still be followed by, so that no event can appear behind a position a reader has passed.
public protocol EventFeedStore: Sendable {
    /// Up to `limit` events of `scope` after `position`, oldest first, of one of `kinds` (all when `nil`), with the
    /// position after the last of them (`position` itself when there is none).
    func feedEvents(in scope: FeedScope, after position: FeedPosition, kinds: Set<ActivityEventKind>?, limit: Int)
        async throws -> FeedPage
    /// The position of "now": reading after it yields no event committed before this call, and every one
    /// committed after it.
    func currentFeedPosition() async throws -> FeedPosition
    /// Which feeds have events that became readable after `position`, reading at most `limit` events, and the
    /// position after the last one read; with no position, none, and the position of the last event readable
    /// now. One query for every feed: a process's readers wait for it instead of each reading its own feed.
    func feedActivity(after position: FeedPosition?, limit: Int) async throws -> FeedActivity
    /// Deletes up to `limit` of the events that happened before `before`, oldest first, and returns how many it
    /// deleted (the memory store may delete them all at once); the caller repeats while a batch comes back full.
    func deleteEvents(before: Date, limit: Int) async throws -> Int
}

/// Which events a feed lists.
public enum FeedScope: Sendable, Equatable, Hashable {
    /// Every event of the workspace.
    case workspace(WorkspaceID)
    /// The events whose project is this one, and `task_moved` out of it.
    case project(ProjectID)
}

/// Where a reader of a feed stands; the store's own coordinates, opaque to everyone else.
public struct FeedPosition: Sendable, Equatable, Codable {
    /// The store's commit-independent order of transactions: PostgreSQL's transaction id; 0 on the memory store.
    public var transaction: UInt64
    /// The event's sequence number within the store: larger is later within one transaction.
    public var sequence: Int64
    /// For a position taken as "now" while transactions were running: the store's record of which transactions
    /// had committed then (PostgreSQL: a `pg_snapshot`), whose events are skipped though they come after the
    /// position; `nil` otherwise.
    public var committedBefore: String?

    /// Creates a position.
    public init(transaction: UInt64, sequence: Int64, committedBefore: String? = nil) {
        self.transaction = transaction
        self.sequence = sequence
        self.committedBefore = committedBefore
    }

    /// Before every event.
    public static let start = FeedPosition(transaction: 0, sequence: 0)

    /// The longest `committedBefore` a cursor may carry, in UTF-8 bytes: a snapshot listing about 1,800 running
    /// transactions.
    public static let longestRecord = 20_000
}

/// A page of a feed.
public struct FeedPage: Sendable, Equatable {
    /// The events, oldest first.
    public var events: [ActivityEvent]
    /// The position just after each event, in the order of `events`.
    public var positions: [FeedPosition]
    /// Where the next page starts: the last of `positions`, or where this page started when it is empty.
    public var next: FeedPosition

    /// Creates a page.
    public init(events: [ActivityEvent], positions: [FeedPosition], next: FeedPosition) {
        self.events = events
        self.positions = positions
        self.next = next
    }
}

/// Which feeds have new readable events, as `EventFeedStore.feedActivity` found them.
public struct FeedActivity: Sendable, Equatable {
    /// The feeds with new events: each event's workspace, its project, and the project a task moved out of.
    public var scopes: Set<FeedScope>
    /// Where the next look starts.
    public var next: FeedPosition
    /// Whether the look stopped at its limit (more may be readable already).
    public var isPartial: Bool

    /// Creates the figures.
    public init(scopes: Set<FeedScope>, next: FeedPosition, isPartial: Bool = false) {
        self.scopes = scopes
        self.next = next
        self.isPartial = isPartial
    }
}
