import Synchronization
import TaskCore
import Testing

/// A recorded answer's body: given bytes, or made once by its function and kept.
@Suite("Answer bodies")
struct AnswerBodyTests {
    @Test("given bytes are the body")
    func givenBytes() async throws {
        let body = AnswerBody(Array("{}".utf8))
        #expect(try await body.bytes() == Array("{}".utf8))
    }

    @Test("a body's function runs when first asked, and its bytes are kept")
    func madeOnce() async throws {
        let calls = Mutex(0)
        let body = AnswerBody(making: {
            calls.withLock { $0 += 1 }
            return Array("made".utf8)
        })
        #expect(calls.withLock { $0 } == 0)
        #expect(try await body.bytes() == Array("made".utf8))
        #expect(try await body.bytes() == Array("made".utf8))
        #expect(calls.withLock { $0 } == 1)
    }

    @Test("a function that fails is asked again next time, and its later bytes are kept")
    func failedMaking() async throws {
        struct Failure: Error {}
        let calls = Mutex(0)
        let body = AnswerBody(making: {
            let call = calls.withLock { calls in
                calls += 1
                return calls
            }
            if call == 1 { throw Failure() }
            return [UInt8(call)]
        })
        await #expect(throws: Failure.self) { try await body.bytes() }
        #expect(try await body.bytes() == [2])
        #expect(try await body.bytes() == [2])
    }

    @Test("callers at once all get the bytes the first kept")
    func parallelCallers() async throws {
        let calls = Mutex(0)
        let body = AnswerBody(making: {
            let call = calls.withLock { calls in
                calls += 1
                return calls
            }
            return [UInt8(call)]
        })
        let results = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<16 { group.addTask { try await body.bytes() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(results).count == 1)
        #expect(try await body.bytes() == results[0])
    }
}
