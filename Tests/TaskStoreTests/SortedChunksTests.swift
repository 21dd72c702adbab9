import TaskTestSupport
import Testing

@testable import TaskStore

/// `SortedChunks`, the memory store's ordered index, against a sorted array doing the same operations.
@Suite("SortedChunks: the memory store's ordered index")
struct SortedChunksTests {
    /// Chunk and group capacities: the store's, and small ones that split and merge chunks and groups often.
    static let capacities: [[Int]] = [[512, 64], [8, 8], [2, 2], [4, 3]]

    @Test(
        "random inserts and removals keep the same elements, in the same order, as a sorted array",
        arguments: capacities)
    func matchesSortedArray(_ capacity: [Int]) {
        var random = SplitMix64(seed: 16)
        var set = SortedChunks<Int>(chunkCapacity: capacity[0], groupCapacity: capacity[1])
        var model: [Int] = []
        for step in 0..<20_000 {
            let value = Int.random(in: 0..<3_000, using: &random)
            if Bool.random(using: &random) || step < 2_000 {
                let inserted = set.insert(value)
                #expect(inserted == !model.contains(value))
                if inserted { model.insert(value, at: model.firstIndex { $0 > value } ?? model.count) }
            } else {
                let removed = set.remove(value)
                #expect(removed == model.contains(value))
                model.removeAll { $0 == value }
            }
        }
        #expect(set.count == model.count)
        #expect(Array(set) == model)
        #expect(model.allSatisfy { set.contains($0) })
        #expect(!set.contains(-1) && !set.contains(3_000))
        #expect(Array(set.descending()) == model.reversed())
        for bound in [-1, 0, 1_499, 1_500, 2_999, 3_000] {
            #expect(Array(set.ascending(after: bound)) == model.filter { $0 > bound }, "after \(bound)")
            #expect(Array(set.descending(before: bound)) == model.filter { $0 < bound }.reversed(), "before \(bound)")
        }
    }

    @Test(
        "a walk starts strictly after or before any bound, present or not, in either direction", arguments: capacities)
    func walksFromBounds(_ capacity: [Int]) {
        var set = SortedChunks<Int>(chunkCapacity: capacity[0], groupCapacity: capacity[1])
        let values = Array(stride(from: 0, to: 2_000, by: 2))
        var random = SplitMix64(seed: 7)
        for value in values.shuffled(using: &random) { set.insert(value) }
        for bound in [-5, 0, 1, 2, 255, 256, 257, 1_000, 1_997, 1_998, 1_999, 5_000] {
            #expect(Array(set.ascending(after: bound)) == values.filter { $0 > bound }, "after \(bound)")
            #expect(Array(set.descending(before: bound)) == values.filter { $0 < bound }.reversed(), "before \(bound)")
        }
        #expect(Array(set.ascending()) == values)
        #expect(Array(set.descending()) == values.reversed())
        #expect(Array(set.ascending().prefix(3)) == [0, 2, 4])
        #expect(Array(SortedChunks<Int>().descending()).isEmpty)
        #expect(Array(SortedChunks<Int>().ascending(after: 3)).isEmpty)
    }

    @Test(
        "a copy keeps its elements however the original changes after it, and the other way round",
        arguments: capacities)
    func copiesAreIndependent(_ capacity: [Int]) {
        var original = SortedChunks<Int>(chunkCapacity: capacity[0], groupCapacity: capacity[1])
        for value in 0..<1_000 { original.insert(value) }
        let copy = original
        for value in 0..<500 { original.remove(value * 2) }
        for value in 1_000..<1_200 { original.insert(value) }
        #expect(Array(copy) == Array(0..<1_000))
        #expect(Array(original) == (0..<500).map { $0 * 2 + 1 } + Array(1_000..<1_200))
        var changedCopy = copy
        changedCopy.insert(-1)
        #expect(copy.count == 1_000 && !copy.contains(-1))
        #expect(changedCopy.count == 1_001 && changedCopy.contains(-1))
    }

    @Test("removing every element leaves an empty set that takes new ones", arguments: capacities)
    func emptiesAndRefills(_ capacity: [Int]) {
        var set = SortedChunks<Int>(chunkCapacity: capacity[0], groupCapacity: capacity[1])
        for value in 0..<600 { set.insert(value) }
        for value in (0..<600).reversed() {
            let removed = set.remove(value)
            #expect(removed)
        }
        #expect(set.isEmpty && Array(set).isEmpty)
        let removedAgain = set.remove(3)
        #expect(!removedAgain)
        set.insert(7)
        set.insert(3)
        #expect(Array(set) == [3, 7])
    }
}
