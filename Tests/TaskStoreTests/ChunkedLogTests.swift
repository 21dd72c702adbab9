import Testing

@testable import TaskStore

/// The memory store's append-only log: positions that never move, the oldest chunks dropped, and copies (snapshots,
/// rolled-back states) that never see each other's appends or drops although they share storage.
@Suite("Memory store: chunked log")
struct ChunkedLogTests {
    static let size = ChunkedLog<Int>.chunkSize

    static func log(_ count: Int) -> ChunkedLog<Int> {
        var log = ChunkedLog<Int>()
        for value in 0..<count { log.append(value) }
        return log
    }

    @Test("each element stays at the position it was appended at, across chunk boundaries")
    func positions() {
        for count in [0, 1, 15, 16, 17, 255, 256, 257, 1_000] {
            let log = Self.log(count)
            #expect(log.startIndex == 0 && log.endIndex == count && log.count == count)
            #expect(Array(log) == Array(0..<count))
        }
    }

    @Test("dropping keeps every element from the position on, a chunk at a time, and positions do not move")
    func dropping() {
        var log = Self.log(3 * Self.size + 10)
        log.removeChunks(below: Self.size - 1)
        #expect(log.startIndex == 0, "no chunk lies wholly below the position")
        log.removeChunks(below: Self.size + 5)
        #expect(log.startIndex == Self.size)
        #expect(Array(log) == Array(Self.size..<3 * Self.size + 10))
        #expect(log[2 * Self.size] == 2 * Self.size)
        log.removeChunks(below: 10 * Self.size)
        #expect(log.startIndex == 3 * Self.size && Array(log) == Array(3 * Self.size..<3 * Self.size + 10))
        log.append(-1)
        #expect(log.last == -1 && log.endIndex == 3 * Self.size + 11)

        var emptied = Self.log(2 * Self.size)
        emptied.removeChunks(below: 2 * Self.size)
        #expect(emptied.isEmpty && emptied.startIndex == 2 * Self.size)
        emptied.append(7)
        #expect(Array(emptied) == [7] && emptied.startIndex == 2 * Self.size)
    }

    @Test("a copy does not see another's appends or drops, whichever goes first, at any point of a chunk")
    func copiesStayApart() {
        for shared in [0, 1, 16, 100, Self.size, Self.size + 1, 2 * Self.size] {
            let base = Self.log(shared)
            var first = base
            var second = base
            for value in shared..<shared + 300 { first.append(value) }
            second.removeChunks(below: shared)
            for value in 0..<20 { second.append(10_000 + value) }
            first.removeChunks(below: shared + 299)
            #expect(Array(base) == Array(0..<shared), "the snapshot, after \(shared)")
            #expect(first.last == shared + 299 && first.contains(shared + 299))
            #expect(Array(second.suffix(20)) == (0..<20).map { 10_000 + $0 }, "after \(shared)")
            #expect(second.endIndex == shared + 20)
            // A rolled-back state: the copy goes on from the shared point again, over what the others wrote.
            var again = base
            again.append(99_999)
            #expect(Array(again) == Array(0..<shared) + [99_999])
            #expect(first[shared + 299] == shared + 299)
        }
    }
}
