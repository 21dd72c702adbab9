import Foundation

/// A feed cursor as clients hold it: the feed it belongs to, the store's position in it, and when it was issued
/// (a cursor older than the events the store keeps is refused, since the reader may have missed some).
public struct EventCursor: Sendable, Equatable, Codable {
    /// The feed: `w:<workspace id>` or `p:<project id>`.
    public var feed: String
    /// Where the reader stands.
    public var position: FeedPosition
    /// When the cursor was issued, in milliseconds since 1970.
    public var issuedAt: Int64

    private enum CodingKeys: String, CodingKey {
        case feed = "f"
        case position = "p"
        case issuedAt = "t"
    }

    /// Creates a cursor for `scope`.
    public init(scope: FeedScope, position: FeedPosition, issuedAt: Date) {
        self.feed = Self.name(of: scope)
        self.position = position
        self.issuedAt = issuedAt.millisecondsSince1970
    }

    /// The cursor as text: URL-safe base64 of its JSON.
    public var encoded: String { CursorText.encode(self) }

    /// Reads a client's cursor for `scope`.
    /// - Throws: `DomainError.validation` naming `after` when the text is not a cursor of this feed.
    public static func decode(_ text: String, for scope: FeedScope) throws -> EventCursor {
        let invalid = DomainError.invalid("after", "is not a cursor of this feed")
        guard text.utf8.count <= 32_768 else { throw invalid }
        guard let cursor = CursorText.decode(Self.self, from: text), cursor.feed == name(of: scope),
            cursor.position.sequence >= 0,
            cursor.position.committedBefore.map({ $0.utf8.count <= FeedPosition.longestRecord }) ?? true
        else { throw invalid }
        return cursor
    }

    private static func name(of scope: FeedScope) -> String {
        switch scope {
        case .workspace(let id): "w:\(id)"
        case .project(let id): "p:\(id)"
        }
    }
}
