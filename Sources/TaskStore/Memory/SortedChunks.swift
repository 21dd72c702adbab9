/// An ordered set of unique elements that is cheap to copy and to change after a copy: the elements sit in sorted
/// chunks of at most `chunkCapacity`, each an immutable object shared by every copy that has not changed it, and
/// the chunks in groups of at most `groupCapacity`, shared the same way.
///
/// A change replaces one chunk and the group that holds it, and copies the list of group references, so it costs
/// O(chunkCapacity + groupCapacity + count / (chunkCapacity × groupCapacity / 4)) however the set was copied
/// before: a set of a million keys changes about 600 references, not 4,000. Finding an element or a starting point
/// costs three binary searches; walking on from there costs O(1) per element. `MemoryState` copies its tables for
/// every changing transaction (to roll back), which is why a copy must cost nothing until it is changed.
struct SortedChunks<Element: Comparable & Sendable>: Sendable {
    /// An immutable, sorted, non-empty run of elements.
    fileprivate final class Chunk: Sendable {
        let elements: [Element]

        init(_ elements: [Element]) { self.elements = elements }

        var last: Element { elements[elements.count - 1] }
    }

    /// An immutable, sorted, non-empty run of chunks.
    fileprivate final class Group: Sendable {
        let chunks: [Chunk]
        let last: Element

        init(_ chunks: [Chunk]) {
            self.chunks = chunks
            last = chunks[chunks.count - 1].last
        }
    }

    /// How many elements a chunk holds at most; a fuller chunk splits in two. A change copies one chunk's elements
    /// (a block copy for plain values).
    let chunkCapacity: Int
    /// How many chunks a group holds at most; a fuller group splits in two. A change retains every chunk of one
    /// group and every group.
    let groupCapacity: Int

    private var groups: [Group] = []
    /// How many elements the set holds.
    private(set) var count = 0

    /// Creates an empty set; the capacities (at least 2 each) are for tests, which exercise splits and merges with
    /// few elements.
    init(chunkCapacity: Int = 512, groupCapacity: Int = 64) {
        self.chunkCapacity = Swift.max(2, chunkCapacity)
        self.groupCapacity = Swift.max(2, groupCapacity)
    }

    var isEmpty: Bool { count == 0 }

    /// Whether the set holds `element`.
    func contains(_ element: Element) -> Bool {
        guard let place = place(of: element) else { return false }
        let elements = groups[place.group].chunks[place.chunk].elements
        return place.index < elements.count && elements[place.index] == element
    }

    /// Adds `element`; returns whether it was not there yet.
    @discardableResult
    mutating func insert(_ element: Element) -> Bool {
        guard !groups.isEmpty else {
            groups = [Group([Chunk([element])])]
            count = 1
            return true
        }
        // After every element: the last chunk of the last group.
        let group = Self.firstIndex(ofLastNotBefore: element, in: groups, last: \.last) ?? groups.count - 1
        var chunks = groups[group].chunks
        let chunk = Self.firstIndex(ofLastNotBefore: element, in: chunks, last: \.last) ?? chunks.count - 1
        var elements = chunks[chunk].elements
        let index = Self.firstIndex(notBefore: element, in: elements)
        if index < elements.count && elements[index] == element { return false }
        elements.insert(element, at: index)
        Self.put(elements, at: chunk, in: &chunks, capacity: chunkCapacity, as: Chunk.init, itemsOf: \.elements)
        Self.put(chunks, at: group, in: &groups, capacity: groupCapacity, as: Group.init, itemsOf: \.chunks)
        count += 1
        return true
    }

    /// Removes `element`; returns whether it was there.
    @discardableResult
    mutating func remove(_ element: Element) -> Bool {
        guard let place = place(of: element) else { return false }
        var chunks = groups[place.group].chunks
        var elements = chunks[place.chunk].elements
        guard place.index < elements.count && elements[place.index] == element else { return false }
        elements.remove(at: place.index)
        count -= 1
        Self.put(elements, at: place.chunk, in: &chunks, capacity: chunkCapacity, as: Chunk.init, itemsOf: \.elements)
        Self.put(chunks, at: place.group, in: &groups, capacity: groupCapacity, as: Group.init, itemsOf: \.chunks)
        return true
    }

    /// The elements strictly after `lower` (all of them when `nil`), in ascending order.
    func ascending(after lower: Element? = nil) -> Ascending {
        guard let lower else { return Ascending(groups, group: 0, chunk: 0, index: 0) }
        guard let place = place(of: lower) else { return Ascending(groups, group: groups.count, chunk: 0, index: 0) }
        let elements = groups[place.group].chunks[place.chunk].elements
        let index = place.index < elements.count && elements[place.index] == lower ? place.index + 1 : place.index
        return Ascending(groups, group: place.group, chunk: place.chunk, index: index)
    }

    /// The elements strictly before `upper` (all of them when `nil`), in descending order.
    func descending(before upper: Element? = nil) -> Descending {
        guard let upper, let place = place(of: upper) else { return Descending(fromEndOf: groups) }
        return Descending(groups, group: place.group, chunk: place.chunk, index: place.index - 1)
    }

    /// The elements in ascending order, from a starting point.
    struct Ascending: Sequence, IteratorProtocol {
        fileprivate let groups: [Group]
        fileprivate var group: Int
        fileprivate var chunk: Int
        fileprivate var index: Int
        /// The chunks of `group` and the elements of `chunk`, empty past the end.
        private var chunks: [Chunk]
        private var elements: [Element]

        fileprivate init(_ groups: [Group], group: Int, chunk: Int, index: Int) {
            self.groups = groups
            self.group = group
            self.chunk = chunk
            self.index = index
            chunks = group < groups.count ? groups[group].chunks : []
            elements = chunk < chunks.count ? chunks[chunk].elements : []
        }

        mutating func next() -> Element? {
            while true {
                if index < elements.count {
                    defer { index += 1 }
                    return elements[index]
                }
                guard group < groups.count else { return nil }
                chunk += 1
                index = 0
                if chunk >= chunks.count {
                    group += 1
                    chunk = 0
                    chunks = group < groups.count ? groups[group].chunks : []
                }
                elements = chunk < chunks.count ? chunks[chunk].elements : []
            }
        }
    }

    /// The elements in descending order, from a starting point.
    struct Descending: Sequence, IteratorProtocol {
        fileprivate let groups: [Group]
        fileprivate var group: Int
        fileprivate var chunk: Int
        fileprivate var index: Int
        /// The chunks of `group` and the elements of `chunk`, empty before the start.
        private var chunks: [Chunk]
        private var elements: [Element]

        fileprivate init(_ groups: [Group], group: Int, chunk: Int, index: Int) {
            self.groups = groups
            self.group = group
            self.chunk = chunk
            self.index = index
            chunks = group >= 0 && group < groups.count ? groups[group].chunks : []
            elements = chunk >= 0 && chunk < chunks.count ? chunks[chunk].elements : []
        }

        /// From the last element of `groups`.
        fileprivate init(fromEndOf groups: [Group]) {
            let lastChunks = groups.last?.chunks ?? []
            self.init(
                groups, group: groups.count - 1, chunk: lastChunks.count - 1,
                index: (lastChunks.last?.elements.count ?? 0) - 1)
        }

        mutating func next() -> Element? {
            while true {
                if index >= 0 && index < elements.count {
                    defer { index -= 1 }
                    return elements[index]
                }
                guard group >= 0 else { return nil }
                chunk -= 1
                if chunk < 0 {
                    group -= 1
                    chunks = group >= 0 ? groups[group].chunks : []
                    chunk = chunks.count - 1
                }
                elements = chunk >= 0 ? chunks[chunk].elements : []
                index = elements.count - 1
            }
        }
    }

    /// Puts `items`, the changed contents of `runs[index]` (a chunk's elements, a group's chunks), back in its
    /// place: left out when empty, split into two halves when over `capacity`, merged with the next run when it fell
    /// under a quarter of `capacity` and both fit in one, else as a new run of its own.
    private static func put<Item, Run>(
        _ items: [Item], at index: Int, in runs: inout [Run], capacity: Int, as makeRun: ([Item]) -> Run,
        itemsOf: (Run) -> [Item]
    ) {
        if items.isEmpty {
            runs.remove(at: index)
        } else if items.count > capacity {
            let middle = items.count / 2
            runs.replaceSubrange(
                index...index, with: [makeRun(Array(items[..<middle])), makeRun(Array(items[middle...]))])
        } else if items.count < capacity / 4, index + 1 < runs.count,
            items.count + itemsOf(runs[index + 1]).count <= capacity
        {
            runs.replaceSubrange(index...index + 1, with: [makeRun(items + itemsOf(runs[index + 1]))])
        } else {
            runs[index] = makeRun(items)
        }
    }

    /// Where `element` is or would go: the first group and chunk whose last element is not before it, and the
    /// index of the first element there not before it; `nil` when every element is before it.
    private func place(of element: Element) -> (group: Int, chunk: Int, index: Int)? {
        guard let group = Self.firstIndex(ofLastNotBefore: element, in: groups, last: \.last) else { return nil }
        let chunks = groups[group].chunks
        // The group's last element is not before `element`, so one of its chunks' is not either.
        guard let chunk = Self.firstIndex(ofLastNotBefore: element, in: chunks, last: \.last) else { return nil }
        return (group, chunk, Self.firstIndex(notBefore: element, in: chunks[chunk].elements))
    }

    /// The index of the first of `runs` whose last element is not before `element`, or `nil` when there is none.
    private static func firstIndex<Run>(ofLastNotBefore element: Element, in runs: [Run], last: (Run) -> Element)
        -> Int?
    {
        var low = 0
        var high = runs.count
        while low < high {
            let middle = (low + high) / 2
            if last(runs[middle]) < element { low = middle + 1 } else { high = middle }
        }
        return low < runs.count ? low : nil
    }

    /// The index of the first element of `elements` that is not before `element`.
    private static func firstIndex(notBefore element: Element, in elements: [Element]) -> Int {
        var low = 0
        var high = elements.count
        while low < high {
            let middle = (low + high) / 2
            if elements[middle] < element { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension SortedChunks: Sequence {
    func makeIterator() -> Ascending { ascending() }
}
