import Foundation
import TaskCore

/// Reads the query of an event feed: `after`, `limit`, `kind` and `wait`.
enum EventRequests {
    /// - Throws: `DomainError.validation` naming each bad parameter.
    static func feedQuery(_ rawQuery: String?) throws -> FeedQuery {
        var reader = QueryReader(rawQuery)
        let after = reader.string("after")
        let limit = reader.integer("limit")
        let kinds = reader.string("kind").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let wait = reader.integer("wait")
        try reader.finish()
        let start: FeedQuery.Start =
            switch after {
            case nil: .oldest
            case "now": .now
            case let cursor?: .cursor(cursor)
            }
        return try FeedQuery(start: start, limit: limit, kinds: kinds, waitSeconds: wait)
    }
}
