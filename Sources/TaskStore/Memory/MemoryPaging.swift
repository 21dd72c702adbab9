import TaskCore

/// Keyset paging over rows in memory: keep the rows after the position, and of those the first `limit`.
enum MemoryPaging {
    /// The rows ordered by `(date, id)` ascending, strictly after `after`, at most `limit`.
    static func page<Row>(
        _ rows: some Sequence<Row>, after: PagePosition?, limit: Int, key: @escaping (Row) -> PagePosition
    ) -> [Row] {
        let sort = TaskSort(field: .createdAt)
        var page = FirstRows<Row>(limit: limit) { sort.precedes(key($0), key($1)) }
        for row in rows where after.map({ sort.precedes($0, key(row)) }) ?? true {
            page.offer(row)
        }
        return page.rows
    }

    /// The rows ordered by `(date, id)` descending, strictly before `before`, at most `limit`.
    static func newestFirst<Row>(
        _ rows: some Sequence<Row>, before: PagePosition?, limit: Int, key: @escaping (Row) -> PagePosition
    ) -> [Row] {
        let sort = TaskSort(field: .createdAt)
        var page = FirstRows<Row>(limit: limit) { sort.precedes(key($1), key($0)) }
        for row in rows where before.map({ sort.precedes(key(row), $0) }) ?? true {
            page.offer(row)
        }
        return page.rows
    }
}

/// The first `limit` rows in an order, collected one row at a time without sorting the rest: a page of a large
/// list costs one pass over it.
struct FirstRows<Row> {
    let limit: Int
    let precedes: (Row, Row) -> Bool
    private var kept: [Row] = []

    /// Above this limit rows are kept unordered and sorted once at the end (deleting a project lists all its tasks).
    private static var boundedLimit: Int { 1_000 }

    init(limit: Int, by precedes: @escaping (Row, Row) -> Bool) {
        self.limit = max(0, limit)
        self.precedes = precedes
    }

    /// The first `limit` rows offered, in order.
    var rows: [Row] {
        limit <= Self.boundedLimit ? kept : Array(kept.sorted(by: precedes).prefix(limit))
    }

    /// Keeps `row` when it is among the first `limit` rows offered so far.
    mutating func offer(_ row: Row) {
        guard limit <= Self.boundedLimit else {
            kept.append(row)
            return
        }
        if kept.count == limit {
            guard let last = kept.last, precedes(row, last) else { return }
        }
        var low = 0
        var high = kept.count
        while low < high {
            let middle = (low + high) / 2
            if precedes(row, kept[middle]) { high = middle } else { low = middle + 1 }
        }
        kept.insert(row, at: low)
        if kept.count > limit { kept.removeLast() }
    }
}
