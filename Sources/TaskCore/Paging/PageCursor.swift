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
    public var encoded: String { CursorText.encode(self) }

    /// Reads the position out of a client's cursor for a list in `ordering`; `nil` when there is no cursor.
    ///
    /// A cursor is client input like any other: its value must be of the kind the ordering sorts by (`values`),
    /// and a date must lie within years 0001 to 9999, so that a forged cursor is a `422`, never a trap or a store
    /// error.
    /// - Throws: `DomainError.validation` naming `cursor` when the text is not a cursor of this ordering.
    public static func position(
        from text: String?, ordering: String, values: CursorValues = .dates
    ) throws -> PagePosition? {
        guard let text else { return nil }
        guard text.utf8.count <= 512 else { throw DomainError.invalid("cursor", "is not a valid cursor") }
        guard let cursor = CursorText.decode(PageCursor.self, from: text) else {
            throw DomainError.invalid("cursor", "is not a valid cursor")
        }
        guard cursor.ordering == ordering else {
            throw DomainError.invalid("cursor", "belongs to another sort order")
        }
        guard values.admits(cursor.position.value) else {
            throw DomainError.invalid("cursor", "is not a valid cursor")
        }
        return cursor.position
    }
}

/// The sort values a list's cursor may carry; a cursor with any other value was not made by taskd.
public enum CursorValues: Sendable, Equatable {
    /// Instants within years 0001 to 9999 (lists ordered by a time stamp).
    case dates
    /// Instants, or nothing (an optional time stamp, such as a due date).
    case optionalDates
    /// Whole numbers within a range (a priority's severity, an event's sequence).
    case integers(ClosedRange<Int>)

    /// Whether `value` is one of these.
    public func admits(_ value: SortValue) -> Bool {
        switch (self, value) {
        case (.dates, .date(let date)), (.optionalDates, .date(let date)): Timestamp.isRepresentable(date)
        case (.optionalDates, .null): true
        case (.integers(let range), .int(let number)): range.contains(number)
        default: false
        }
    }
}
