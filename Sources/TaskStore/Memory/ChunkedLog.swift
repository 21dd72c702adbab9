/// Elements in append order, kept so that appending after a snapshot copies nothing but the element, and so that
/// the oldest can be dropped a chunk at a time.
///
/// The elements sit in chunks of fixed capacity that copies of the log share. A log knows where it ends
/// (`endIndex`); its chunks hold that many and perhaps more, appended by a copy of the log that went on from the
/// same point. A copy at the end of its last chunk's written elements appends in place; one that is not (another
/// copy appended first: a rolled-back transaction's state, a snapshot) copies its part of that chunk first. So a
/// snapshot never sees an element appended after it, and the committed state and the one changing after it share
/// every chunk. Only the store's writer (the holder of its turn) appends; readers read only elements below their
/// own copy's `endIndex`, which the commit that published it made visible to them.
///
/// Positions count from the first element ever appended and never change: dropping the oldest chunks moves
/// `startIndex` up.
struct ChunkedLog<Element: Sendable>: Sendable, RandomAccessCollection {
    private var chunks: [Chunk] = []
    /// How many chunks were dropped from the front.
    private var droppedChunks = 0
    /// Where the next element goes.
    private(set) var endIndex = 0
    static var chunkSize: Int { 256 }
    /// The first chunk's first capacity: a log with few elements takes little memory.
    static var firstCapacity: Int { 16 }

    /// The first position the log still holds.
    var startIndex: Int { Swift.min(droppedChunks * Self.chunkSize, endIndex) }

    /// The element at `position`, which the log holds (`startIndex..<endIndex`).
    subscript(position: Int) -> Element {
        chunks[position / Self.chunkSize - droppedChunks][position % Self.chunkSize]
    }

    /// Appends an element at `endIndex`.
    mutating func append(_ element: Element) {
        let offset = endIndex % Self.chunkSize
        if offset == 0 && endIndex / Self.chunkSize == droppedChunks + chunks.count {
            chunks.append(Chunk(capacity: endIndex == 0 ? Self.firstCapacity : Self.chunkSize))
        } else {
            let last = chunks.count - 1
            if chunks[last].written != offset || chunks[last].capacity == offset {
                // Another copy appended to this chunk first, or it is full below the chunk size: a chunk of this
                // copy's own, with room.
                let isFirstChunk = droppedChunks == 0 && last == 0
                let capacity =
                    isFirstChunk
                    ? Swift.min(Swift.max(2 * offset, Self.firstCapacity), Self.chunkSize) : Self.chunkSize
                chunks[last] = chunks[last].copy(first: offset, capacity: capacity)
            }
        }
        chunks[chunks.count - 1].append(element)
        endIndex += 1
    }

    /// Drops the chunks whose every element lies below `position`; the elements from `position` on stay.
    mutating func removeChunks(below position: Int) {
        var dropping = 0
        while dropping < chunks.count, (droppedChunks + dropping + 1) * Self.chunkSize <= Swift.min(position, endIndex)
        {
            dropping += 1
        }
        guard dropping > 0 else { return }
        chunks.removeFirst(dropping)
        droppedChunks += dropping
    }

    /// Elements written once each and never changed, shared by the copies of a log. A copy appends only at the end
    /// of what is written (`written`), so no copy sees a write to a slot it reads.
    private final class Chunk: @unchecked Sendable {
        // Written only by the store's writer, one slot after another; a reader reads slots below its log's end,
        // written before the commit that published that log.
        private let slots: UnsafeMutablePointer<Element>
        let capacity: Int
        /// How many slots are written, by any copy of the log.
        private(set) var written = 0

        init(capacity: Int) {
            self.capacity = capacity
            slots = .allocate(capacity: capacity)
        }

        deinit {
            slots.deinitialize(count: written)
            slots.deallocate()
        }

        /// The element in slot `offset`, which the caller's log holds (so it is written: `written` is the writer's
        /// to read, a reader's log knows its own end).
        subscript(offset: Int) -> Element { slots[offset] }

        /// Writes the next slot. The caller has checked that it is this copy's end and that there is room.
        func append(_ element: Element) {
            precondition(written < capacity, "a full chunk")
            (slots + written).initialize(to: element)
            written += 1
        }

        /// A new chunk with room for `capacity` elements, holding this one's first `count`.
        func copy(first count: Int, capacity: Int) -> Chunk {
            let copy = Chunk(capacity: capacity)
            for offset in 0..<count { copy.append(slots[offset]) }
            return copy
        }
    }
}
