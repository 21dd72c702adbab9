import Foundation
import TaskCore
import TaskTestSupport
import Testing

@Suite("Task lists: filters, sorting, keyset pages")
struct TaskListingTests {
    let world = TestWorld()

    @Test("search text keeps each word once and takes at most 16 different words, faults named by the filter's field")
    func searchWords() async throws {
        let alice = try await world.register("alice")
        _ = try await world.tasks.create(alice, NewTask(title: "alpha beta"))
        let repeated = TaskFilter(text: Array(repeating: "alpha", count: 40).joined(separator: " "))
        #expect(try await world.tasks.tasks(alice, matching: repeated, page: .first).items.count == 1)
        let many = TaskFilter(text: (0..<17).map { "w\($0)" }.joined(separator: " "))
        await #expect(throws: DomainError.invalid("text", "must have at most 16 different words")) {
            try await world.tasks.tasks(alice, matching: many, page: .first)
        }
    }

    @Test("every filter narrows the list")
    func filters() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .member)])
        let project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P"))
        let due = Date(timeIntervalSince1970: 1_800_000_000)
        let a = try await world.tasks.create(
            alice,
            NewTask(
                title: "Write the launch plan", projectID: project.id, assigneeID: bob.id, priority: .high,
                dueDate: due, tags: ["launch"]))
        let b = try await world.tasks.create(
            alice,
            NewTask(
                title: "Review", description: "Check the PLAN twice", projectID: project.id, status: .done,
                priority: .low,
                dueDate: due.addingTimeInterval(86_400)))
        let c = try await world.tasks.create(alice, NewTask(title: "Personal chore"))

        func titles(_ caller: Caller, _ filter: TaskFilter) async throws -> [String] {
            try await world.tasks.tasks(caller, matching: filter, page: .first).items.map(\.title)
        }
        #expect(try await titles(alice, TaskFilter(projectID: project.id)) == [a.title, b.title])
        #expect(try await titles(alice, TaskFilter(workspaceID: workspace, isCompleted: true)) == [b.title])
        #expect(try await titles(alice, TaskFilter(projectID: project.id, status: .todo)) == [a.title])
        #expect(try await titles(alice, TaskFilter(projectID: project.id, priority: .low)) == [b.title])
        #expect(try await titles(alice, TaskFilter(projectID: project.id, tag: "launch")) == [a.title])
        #expect(
            try await titles(alice, TaskFilter(projectID: project.id, dueBefore: due.addingTimeInterval(1))) == [
                a.title
            ])
        #expect(try await titles(alice, TaskFilter(projectID: project.id, dueAfter: due)) == [b.title])
        #expect(try await titles(alice, TaskFilter(projectID: project.id, text: "plan")) == [a.title, b.title])
        #expect(try await titles(alice, TaskFilter(projectID: project.id, text: "plan twice")) == [b.title])
        #expect(try await titles(alice, TaskFilter(projectID: project.id, text: "pl%n")) == [], "% is no wildcard")
        #expect(try await titles(bob, TaskFilter(assignee: .me)) == [a.title])
        #expect(try await titles(alice, TaskFilter(projectID: project.id, assignee: .user(bob.id))) == [a.title])
        #expect(try await titles(alice, TaskFilter()) == [a.title, b.title, c.title], "no scope: what alice owns")
        #expect(try await titles(bob, TaskFilter()) == [a.title], "no scope: what bob is assigned")
    }

    @Test("sorting by priority and due date, both directions, undated last")
    func sorting() async throws {
        let alice = try await world.register("alice")
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try await world.tasks.create(alice, NewTask(title: "none-undated"))
        _ = try await world.tasks.create(
            alice, NewTask(title: "urgent-late", priority: .urgent, dueDate: base.addingTimeInterval(100)))
        _ = try await world.tasks.create(alice, NewTask(title: "low-early", priority: .low, dueDate: base))
        func titles(_ sort: String) async throws -> [String] {
            try await world.tasks.tasks(alice, matching: TaskFilter(), sort: TaskSort(parsing: sort), page: .first)
                .items.map(\.title)
        }
        #expect(try await titles("priority") == ["none-undated", "low-early", "urgent-late"])
        #expect(try await titles("-priority") == ["urgent-late", "low-early", "none-undated"])
        #expect(try await titles("due_date") == ["low-early", "urgent-late", "none-undated"])
        #expect(try await titles("-due_date") == ["urgent-late", "low-early", "none-undated"])
        #expect(try await titles("-created_at") == ["low-early", "urgent-late", "none-undated"])
    }

    @Test(
        "keyset pages: every row once, even when rows are inserted while paging",
        arguments: ["created_at", "-due_date", "priority"])
    func keysetPaging(sort: String) async throws {
        let alice = try await world.register("alice")
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        for index in 0..<25 {
            _ = try await world.tasks.create(
                alice,
                NewTask(
                    title: "t\(index)", priority: TaskPriority.allCases[index % 5],
                    dueDate: index % 3 == 0 ? nil : base.addingTimeInterval(Double(index % 7) * 60)))
        }
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await world.tasks.tasks(
                alice, matching: TaskFilter(), sort: TaskSort(parsing: sort),
                page: PageRequest(limit: 7, cursor: cursor))
            seen += page.items.map(\.title)
            cursor = page.nextCursor
            pages += 1
            if pages == 2 {
                _ = try await world.tasks.create(alice, NewTask(title: "late", priority: .medium, dueDate: base))
            }
        } while cursor != nil && pages < 10
        #expect(Set(seen).count == seen.count, "no row twice")
        #expect(Set(seen).isSuperset(of: (0..<25).map { "t\($0)" }), "no row skipped")
    }

    @Test("bad query values are refused with the parameter named")
    func badQueries() async throws {
        let alice = try await world.register("alice")
        await #expect(throws: DomainError.invalid("cursor", "belongs to another sort order")) {
            let cursor = PageCursor(ordering: "priority", position: PagePosition(value: .int(1), id: UUID())).encoded
            return try await world.tasks.tasks(
                alice, matching: TaskFilter(), sort: .default, page: PageRequest(cursor: cursor))
        }
        await #expect(throws: DomainError.self) {
            try await world.tasks.tasks(
                alice, matching: TaskFilter(text: String(repeating: "x", count: 501)), page: .first)
        }
    }

    @Test("listing a project's tasks shows all of them to whoever sees the project and none to anyone else")
    func projectListsFollowProjectVisibility() async throws {
        let alice = try await world.register("alice")
        let bob = try await world.register("bob")
        let carol = try await world.register("carol")
        let dave = try await world.register("dave")
        let workspace = try await world.workspace(owner: alice, members: [(bob, .member), (carol, .member)])
        let secret = try await world.projects.create(
            alice, NewProject(workspaceID: workspace, name: "Secret", visibility: .private))
        _ = try await world.projectMembers.addMember(alice, to: secret.id, userID: bob.id, role: .viewer)
        let first = try await world.tasks.create(alice, NewTask(title: "First", projectID: secret.id))
        let second = try await world.tasks.create(alice, NewTask(title: "Second", projectID: secret.id))
        func ids(_ caller: Caller) async throws -> [TaskID] {
            try await world.tasks.tasks(caller, matching: TaskFilter(projectID: secret.id), page: .first).items.map(
                \.id)
        }
        #expect(try await ids(alice) == [first.id, second.id])
        #expect(try await ids(bob) == [first.id, second.id])
        #expect(try await ids(carol).isEmpty)
        #expect(try await ids(dave).isEmpty)
        let unknown = try await world.tasks.tasks(
            alice, matching: TaskFilter(projectID: ProjectID(UUID())), page: .first)
        #expect(unknown.items.isEmpty && unknown.nextCursor == nil)
    }
}
