/// An ordered set of unique elements that is cheap to copy and to change after a copy: the elements sit in sorted
/// chunks of at most `chunkCapacity`, each an immutable object shared by every copy that has not changed it.
///
/// A change replaces one chunk and copies the list of chunk references, so it costs O(chunkCapacity + count /
/// chunkCapacity) however the set was copied before; finding an element or a starting point costs two binary
/// searches; walking on from there costs O(1) per element. `MemoryState` copies its tables for every changing
/// transaction (to roll back), which is why a copy must cost nothing until it is changed.
struct SortedChunks<Element: Comparable & Sendable>: Sendable {
    /// An immutable, sorted, non-empty run of elements.
    fileprivate final class Chunk: Sendable {
        let elements: [Element]

        init(_ elements: [Element]) { self.elements = elements }

        var last: Element { elements[elements.count - 1] }
    }

    /// How many elements a chunk holds at most; a fuller chunk splits in two. A change copies one chunk's
    /// elements (a block copy for plain values) and one reference per chunk, so larger chunks make the second, which
    /// retains every chunk, the smaller: at 512, a set of 100,000 keys has about 260 chunks.
    static var chunkCapacity: Int { 512 }

    private var chunks: [Chunk] = []
    /// How many elements the set holds.
    private(set) var count = 0

    /// Creates an empty set.
    init() {}

    var isEmpty: Bool { count == 0 }

    /// Whether the set holds `element`.
    func contains(_ element: Element) -> Bool {
        guard let chunk = chunkIndex(for: element) else { return false }
        let elements = chunks[chunk].elements
        let index = Self.firstIndex(notBefore: element, in: elements)
        return index < elements.count && elements[index] == element
    }

    /// Adds `element`; returns whether it was not there yet.
    @discardableResult
    mutating func insert(_ element: Element) -> Bool {
        guard !chunks.isEmpty else {
            chunks = [Chunk([element])]
            count = 1
            return true
        }
        let chunk = chunkIndex(for: element) ?? chunks.count - 1
        var elements = chunks[chunk].elements
        let index = Self.firstIndex(notBefore: element, in: elements)
        if index < elements.count && elements[index] == element { return false }
        elements.insert(element, at: index)
        if elements.count > Self.chunkCapacity {
            let middle = elements.count / 2
            chunks.replaceSubrange(
                chunk...chunk, with: [Chunk(Array(elements[..<middle])), Chunk(Array(elements[middle...]))])
        } else {
            chunks[chunk] = Chunk(elements)
        }
        count += 1
        return true
    }

    /// Removes `element`; returns whether it was there.
    @discardableResult
    mutating func remove(_ element: Element) -> Bool {
        guard let chunk = chunkIndex(for: element) else { return false }
        var elements = chunks[chunk].elements
        let index = Self.firstIndex(notBefore: element, in: elements)
        guard index < elements.count && elements[index] == element else { return false }
        elements.remove(at: index)
        count -= 1
        if elements.isEmpty {
            chunks.remove(at: chunk)
        } else if elements.count < Self.chunkCapacity / 4, chunk + 1 < chunks.count,
            elements.count + chunks[chunk + 1].elements.count <= Self.chunkCapacity
        {
            chunks.replaceSubrange(chunk...chunk + 1, with: [Chunk(elements + chunks[chunk + 1].elements)])
        } else {
            chunks[chunk] = Chunk(elements)
        }
        return true
    }

    /// The elements strictly after `lower` (all of them when `nil`), in ascending order.
    func ascending(after lower: Element? = nil) -> Ascending {
        guard let lower else { return Ascending(chunks: chunks, chunk: 0, index: 0) }
        guard let chunk = chunkIndex(for: lower) else {
            return Ascending(chunks: chunks, chunk: chunks.count, index: 0)
        }
        let elements = chunks[chunk].elements
        var index = Self.firstIndex(notBefore: lower, in: elements)
        if index < elements.count && elements[index] == lower { index += 1 }
        return Ascending(chunks: chunks, chunk: chunk, index: index)
    }

    /// The elements strictly before `upper` (all of them when `nil`), in descending order.
    func descending(before upper: Element? = nil) -> Descending {
        guard let upper else {
            return Descending(chunks: chunks, chunk: chunks.count - 1, index: (chunks.last?.elements.count ?? 0) - 1)
        }
        guard let chunk = chunkIndex(for: upper) else {
            return Descending(chunks: chunks, chunk: chunks.count - 1, index: (chunks.last?.elements.count ?? 0) - 1)
        }
        let index = Self.firstIndex(notBefore: upper, in: chunks[chunk].elements)
        return Descending(chunks: chunks, chunk: chunk, index: index - 1)
    }

    /// The elements in ascending order, from a starting point.
    struct Ascending: Sequence, IteratorProtocol {
        fileprivate let chunks: [Chunk]
        fileprivate var chunk: Int
        fileprivate var index: Int

        mutating func next() -> Element? {
            while chunk < chunks.count {
                let elements = chunks[chunk].elements
                if index < elements.count {
                    defer { index += 1 }
                    return elements[index]
                }
                chunk += 1
                index = 0
            }
            return nil
        }
    }

    /// The elements in descending order, from a starting point.
    struct Descending: Sequence, IteratorProtocol {
        fileprivate let chunks: [Chunk]
        fileprivate var chunk: Int
        fileprivate var index: Int

        mutating func next() -> Element? {
            while chunk >= 0 {
                if index >= 0 {
                    defer { index -= 1 }
                    return chunks[chunk].elements[index]
                }
                chunk -= 1
                if chunk >= 0 { index = chunks[chunk].elements.count - 1 }
            }
            return nil
        }
    }

    /// The first chunk whose last element is not before `element`, or `nil` when every element is before it.
    private func chunkIndex(for element: Element) -> Int? {
        var low = 0
        var high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            if chunks[middle].last < element { low = middle + 1 } else { high = middle }
        }
        return low < chunks.count ? low : nil
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
