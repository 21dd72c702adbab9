import Foundation
import TaskCore
import TaskTestSupport
import Testing

/// Webhooks on every store.
@Suite("Store conformance: webhooks")
struct WebhookConformanceTests {
    func service(_ world: TestWorld) -> WebhookService {
        WebhookService(
            store: world.store, targets: WebhookTargetPolicy(resolve: TestHosts.resolve), now: world.clock.now)
    }

    @Test(
        "a webhook round-trips with every field, belongs to its workspace, and goes with its project",
        arguments: StoreKind.available)
    func roundTrip(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let other = try await world.workspace(owner: alice, name: "Other")
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        let webhooks = service(world)
        let wide = try await webhooks.create(
            alice, in: workspace, NewWebhook(url: "https://hooks.example.com/a", events: ["*"], description: " all "))
        var narrow = try await webhooks.create(
            alice, in: workspace,
            NewWebhook(
                url: "https://hooks.example.com/b", events: ["task_moved", "task_created"], projectID: project.id))
        narrow = try await webhooks.rotateSecret(alice, in: workspace, id: narrow.id)
        #expect(narrow.previousSecret != nil && narrow.previousSecret != narrow.secret)
        let read = try await webhooks.webhook(alice, in: workspace, id: narrow.id)
        #expect(read == narrow)
        #expect(read.events == .kinds([.taskMoved, .taskCreated]))
        #expect(try await webhooks.webhook(alice, in: workspace, id: wide.id).description == "all")
        await #expect(throws: DomainError.notFound(.webhook)) {
            try await webhooks.webhook(alice, in: other, id: wide.id)
        }
        let page = try await webhooks.webhooks(alice, in: workspace, page: try PageRequest(limit: 1))
        #expect(page.items.map(\.id) == [wide.id])
        let next = try await webhooks.webhooks(
            alice, in: workspace, page: try PageRequest(limit: 1, cursor: page.nextCursor))
        #expect(next.items.map(\.id) == [narrow.id])

        try await world.projects.delete(alice, id: project.id)
        await #expect(throws: DomainError.notFound(.webhook)) {
            try await webhooks.webhook(alice, in: workspace, id: narrow.id)
        }
        #expect(try await webhooks.webhooks(alice, in: workspace, page: .first).items.map(\.id) == [wide.id])
    }

    @Test(
        "six parallel changes of one webhook without If-Match all apply, one version each",
        arguments: StoreKind.available)
    func parallelChanges(_ kind: StoreKind) async throws {
        let world = TestWorld(store: try await kind.makeFreshStore())
        let alice = try await world.register("alice")
        let workspace = try await world.workspace(owner: alice)
        let webhooks = service(world)
        let webhook = try await webhooks.create(
            alice, in: workspace, NewWebhook(url: "https://hooks.example.com/a", events: ["*"]))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                group.addTask {
                    _ = try await webhooks.update(alice, in: workspace, id: webhook.id, precondition: nil) {
                        WebhookPatch(description: .set("change \(index)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await webhooks.webhook(alice, in: workspace, id: webhook.id).version == 7)
    }
}
