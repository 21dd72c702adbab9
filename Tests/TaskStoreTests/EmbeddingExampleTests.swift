import Foundation
import Testing

@testable import EmbeddingExample

@Suite("The embedding example of docs/embedding.md")
struct EmbeddingExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("it runs and lists the workspace, project and task it made")
    func runs() async throws {
        let lines = try await runEmbeddingExample(print: { _ in })
        #expect(
            lines == [
                "workspace Engines (owner)",
                "workspace Personal (owner)",
                "project Difference Engine",
                "task Compute Bernoulli numbers [todo, high]",
            ])
    }

    @Test("docs/embedding.md shows the compiled source and its output exactly")
    func documentMatchesSource() throws {
        let source = try String(
            contentsOf: Self.root.appending(path: "Examples/Embedding/EmbeddingExample.swift"), encoding: .utf8)
        let page = try String(contentsOf: Self.root.appending(path: "docs/embedding.md"), encoding: .utf8)
        #expect(page.contains("```swift\n" + source + "```"))
        #expect(
            page.contains(
                "workspace Engines (owner)\nworkspace Personal (owner)\nproject Difference Engine\ntask Compute Bernoulli numbers [todo, high]"
            ))
    }
}
