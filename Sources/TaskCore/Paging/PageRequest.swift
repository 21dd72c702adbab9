/// Which page of a list a client asked for: at most `limit` rows after the position a cursor names.
public struct PageRequest: Sendable, Equatable {
    /// How many rows at most (1...100).
    public var limit: Int
    /// The previous page's `next_cursor`, or `nil` for the first page.
    public var cursor: String?

    /// Checks `limit` (default 20, 1...100).
    /// - Throws: `DomainError.validation` naming `limit` when it is out of range.
    public init(limit: Int? = nil, cursor: String? = nil) throws {
        let limit = limit ?? FieldLimits.defaultPageSize
        guard FieldLimits.pageSize.contains(limit) else {
            throw DomainError.invalid(
                "limit", "must be between \(FieldLimits.pageSize.lowerBound) and \(FieldLimits.pageSize.upperBound)")
        }
        self.limit = limit
        self.cursor = cursor
    }

    /// The first page of the default size.
    public static let first = PageRequest(validLimit: FieldLimits.defaultPageSize)

    private init(validLimit: Int) {
        limit = validLimit
        cursor = nil
    }
}

/// One page of a list and the cursor of the next one (`nil` on the last page).
public struct Page<Item: Sendable>: Sendable {
    /// The rows of this page, in list order.
    public var items: [Item]
    /// Opaque text that asks for the rows after this page; `nil` when there are none.
    public var nextCursor: String?

    /// Creates a page.
    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// Builds a page from up to `limit + 1` rows fetched after the requested position: the extra row only tells
    /// that another page exists.
    static func from(
        rows: [Item], limit: Int, ordering: String, position: (Item) -> PagePosition
    ) -> Page<Item> {
        guard rows.count > limit, let last = rows.prefix(limit).last else {
            return Page(items: rows, nextCursor: nil)
        }
        let cursor = PageCursor(ordering: ordering, position: position(last))
        return Page(items: Array(rows.prefix(limit)), nextCursor: cursor.encoded)
    }

    /// Turns every row into another value, keeping the cursor.
    public func map<Other: Sendable>(_ transform: (Item) throws -> Other) rethrows -> Page<Other> {
        Page<Other>(items: try items.map(transform), nextCursor: nextCursor)
    }
}
