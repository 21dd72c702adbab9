import Foundation

/// The opaque `next_cursor` text: which ordering it belongs to and the position of the last row served,
/// as base64url-encoded JSON. Clients must treat it as opaque.
public struct PageCursor: Sendable, Equatable, Codable {
    /// The list ordering the position belongs to (such as `-due_date`); a cursor is refused by another ordering.
    public var ordering: String
    /// The last row served.
    public var position: PagePosition

    private enum CodingKeys: String, CodingKey { case ordering = "o", position = "p" }

    /// Creates a cursor.
    public init(ordering: String, position: PagePosition) {
        self.ordering = ordering
        self.position = position
    }

    /// The cursor as text.
    public var encoded: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads the position out of a client's cursor for a list in `ordering`; `nil` when there is no cursor.
    /// - Throws: `DomainError.validation` naming `cursor` when the text is not a cursor of this ordering.
    public static func position(from text: String?, ordering: String) throws -> PagePosition? {
        guard let text else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard text.count <= 512, let data = Data(base64Encoded: base64),
            let cursor = try? JSONDecoder().decode(PageCursor.self, from: data)
        else {
            throw DomainError.invalid("cursor", "is not a valid cursor")
        }
        guard cursor.ordering == ordering else {
            throw DomainError.invalid("cursor", "belongs to another sort order")
        }
        return cursor.position
    }
}
