import Foundation
import TaskAuth
import TaskCore
import TaskStore

/// Drives TaskCore on the in-memory store, as a Swift program embedding taskd would: registers a user, creates
/// a workspace, a project and a task, and lists them. Returns the lines it prints.
public func runEmbeddingExample(print output: (String) -> Void = { print($0) }) async throws -> [String] {
    let store = MemoryStore()
    let ids = RandomIDGenerator()
    let hasher = try CryptPasswordHasher(cost: 4)
    let accounts = AccountService(store: store, hasher: hasher, now: systemNow, ids: ids)
    let workspaces = WorkspaceService(store: store, now: systemNow, ids: ids)
    let projects = ProjectService(store: store, now: systemNow, ids: ids)
    let tasks = TaskService(store: store, now: systemNow, ids: ids)

    let user = try await accounts.register(email: "ada@example.com", password: "analytical-engine", name: "Ada")
    let ada = Caller(user)
    let workspace = try await workspaces.create(ada, name: "Engines").workspace
    let project = try await projects.create(ada, NewProject(workspaceID: workspace.id, name: "Difference Engine"))
    _ = try await tasks.create(ada, NewTask(title: "Compute Bernoulli numbers", projectID: project.id, priority: .high))

    var lines: [String] = []
    func say(_ line: String) {
        lines.append(line)
        output(line)
    }
    let memberships = try await workspaces.workspaces(ada, page: .first).items
    for membership in memberships.sorted(by: { $0.workspace.name < $1.workspace.name }) {
        say("workspace \(membership.workspace.name) (\(membership.role.rawValue))")
    }
    for project in try await projects.projects(ada, workspaceID: workspace.id, isArchived: nil, page: .first).items {
        say("project \(project.name)")
    }
    let page = try await tasks.tasks(ada, matching: TaskFilter(projectID: project.id), page: .first)
    for task in page.items {
        say("task \(task.title) [\(task.status.rawValue), \(task.priority.rawValue)]")
    }
    return lines
}
