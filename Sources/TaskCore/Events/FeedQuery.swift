import Foundation

/// What a reader asks of a feed: where to start, how many events, which kinds, and how long to wait for one.
public struct FeedQuery: Sendable, Equatable {
    /// Where the reader starts.
    public enum Start: Sendable, Equatable {
        /// From the oldest event the store keeps.
        case oldest
        /// From now: no event committed before the request is returned.
        case now
        /// After a cursor from an earlier answer.
        case cursor(String)
    }

    /// The most events one answer holds.
    public static let limits = 1...1000
    /// The longest a reader may wait for an event.
    public static let longestWait: Duration = .seconds(30)

    /// Where to start.
    public var start: Start
    /// How many events at most (1...1000, default 100).
    public var limit: Int
    /// The kinds to list; `nil` lists every kind.
    public var kinds: Set<ActivityEventKind>?
    /// How long to hold the answer while there is no event (0...30 s).
    public var wait: Duration

    /// Checks the query.
    /// - Throws: `DomainError.validation` naming `limit`, `kind` or `wait`.
    public init(start: Start = .oldest, limit: Int? = nil, kinds: [String]? = nil, waitSeconds: Int? = nil) throws {
        var errors = FieldErrors()
        let limit = limit ?? 100
        if !Self.limits.contains(limit) { errors.add("limit", "must be between 1 and 1000") }
        var parsed: Set<ActivityEventKind>?
        if let kinds {
            let known = kinds.compactMap(ActivityEventKind.init(rawValue:))
            if kinds.isEmpty || known.count != kinds.count {
                errors.add("kind", "must list event kinds, such as task_created,comment_added")
            }
            parsed = Set(known)
        }
        let wait = waitSeconds ?? 0
        if !(0...30).contains(wait) { errors.add("wait", "must be between 0 and 30 seconds") }
        try errors.throwIfAny()
        self.start = start
        self.limit = limit
        self.kinds = parsed
        self.wait = .seconds(wait)
    }
}

/// An answer of a feed.
public struct FeedAnswer: Sendable, Equatable {
    /// The events, oldest first.
    public var events: [ActivityEvent]
    /// The cursor just after each event, in the order of `events` (an event stream's `id:`).
    public var cursors: [String]
    /// The cursor to pass back for what comes next; never empty.
    public var nextCursor: String

    /// Creates an answer.
    public init(events: [ActivityEvent], cursors: [String], nextCursor: String) {
        self.events = events
        self.cursors = cursors
        self.nextCursor = nextCursor
    }
}
