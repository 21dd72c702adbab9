import Foundation
import Testing

@testable import TaskStore

/// The statements `bench/` gives pgbench stay the ones taskd sends, so that their rates measure taskd's own SQL.
@Suite("Benchmark statements")
struct BenchStatementTests {
    static let bench = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("bench")

    /// `text` without `--` comments, its words separated by single spaces and no space inside parentheses.
    static func normalized(_ text: String) -> String {
        text.split(separator: "\n").map { $0.split(separator: "--", maxSplits: 1, omittingEmptySubsequences: false)[0] }
            .joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
            .replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")")
            .trimmingCharacters(in: CharacterSet(charactersIn: "; "))
    }

    @Test("bench/get-task.sql is the statement of GET /tasks/{id} with an access token")
    func getTask() throws {
        let script = try String(contentsOf: Self.bench.appendingPathComponent("get-task.sql"), encoding: .utf8)
        let asTaskdSends = Self.normalized(script).replacingOccurrences(of: ":task", with: "$1")
            .replacingOccurrences(of: ":user", with: "$2")
        #expect(asTaskdSends == Self.normalized(ClaimedAccessStatement<TaskAccessStatement>.sql))
    }
}
