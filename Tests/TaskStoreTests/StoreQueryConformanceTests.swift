import Foundation
import TaskCore
import TaskTestSupport
import Testing

/// List queries: each store must return exactly what the reference rules in TaskCore select, in the same order.
@Suite("Store conformance: list queries")
struct StoreQueryConformanceTests {
    /// A workspace with members of every role, public and private projects, and tasks of every shape.
    struct Dataset {
        let store: any DataStore
        let users: [String: Caller]
        let workspace: WorkspaceID
        let tasks: [TaskItem]
        let projects: [Project]
        let memberships: [ProjectID: Set<UserID>]
        let workspaceMembers: [WorkspaceMember]
    }

    static func dataset(_ kind: StoreKind) async throws -> Dataset {
        let store = try await kind.makeFreshStore()
        let world = TestWorld(store: store)
        var users: [String: Caller] = [:]
        for name in ["owner", "admin", "member", "guest", "outsider"] { users[name] = try await world.register(name) }
        let owner = try #require(users["owner"])
        let workspace = try await world.workspace(
            owner: owner,
            members: [
                (try #require(users["admin"]), .admin), (try #require(users["member"]), .member),
                (try #require(users["guest"]), .guest),
            ])
        let open = try await world.projects.create(owner, NewProject(workspaceID: workspace, name: "Open"))
        let secret = try await world.projects.create(
            owner, NewProject(workspaceID: workspace, name: "Secret", visibility: .private))
        let guestOnly = try await world.projects.create(
            owner, NewProject(workspaceID: workspace, name: "Guest", visibility: .private))
        _ = try await world.projectMembers.addMember(
            owner, to: guestOnly.id, userID: try #require(users["guest"]).id, role: .viewer)
        let member = try #require(users["member"])
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        let words = ["alpha plan", "beta launch", "Gamma PLAN launch", "delta", "50% off_sale"]
        for index in 0..<30 {
            let projectID: ProjectID? = [open.id, secret.id, guestOnly.id, nil][index % 4]
            let input = NewTask(
                title: words[index % words.count], description: index % 2 == 0 ? "details \(index)" : nil,
                projectID: projectID, workspaceID: projectID == nil ? workspace : nil,
                assigneeID: index % 5 == 0 && projectID != secret.id && projectID != guestOnly.id ? member.id : nil,
                status: TaskStatus.allCases[index % 3], priority: TaskPriority.allCases[index % 5],
                dueDate: index % 4 == 1 ? nil : base.addingTimeInterval(Double(index % 6) * 3600),
                tags: index % 3 == 0 ? ["red"] : ["blue", "red"])
            let memberMayCreate = projectID == nil || projectID == open.id
            _ = try await world.tasks.create(index % 7 == 0 && memberMayCreate ? member : owner, input)
        }
        let tasks = try await world.tasks.tasks(
            Caller(id: owner.id, isSystemAdmin: true), matching: TaskFilter(workspaceID: workspace),
            page: PageRequest(limit: 100)
        ).items
        let workspaceMembers = try await store.transaction { tx in
            try await tx.workspaceMembers(of: workspace, after: nil, limit: 100)
        }.map {
            WorkspaceMember(
                workspaceID: workspace, userID: $0.userID, role: WorkspaceRole(rawValue: $0.role) ?? .guest,
                joinedAt: $0.joinedAt)
        }
        var memberships: [ProjectID: Set<UserID>] = [:]
        for project in [open, secret, guestOnly] {
            let members = try await store.transaction { tx in
                try await tx.projectMembers(of: project.id, after: nil, limit: 100)
            }
            memberships[project.id] = Set(members.map(\.userID))
        }
        return Dataset(
            store: store, users: users, workspace: workspace, tasks: tasks, projects: [open, secret, guestOnly],
            memberships: memberships, workspaceMembers: workspaceMembers)
    }

    /// What a store must answer, computed from TaskCore's own rules.
    static func reference(_ query: TaskQuery, in data: Dataset) -> [TaskItem] {
        let projects = Dictionary(uniqueKeysWithValues: data.projects.map { ($0.id, $0) })
        return data.tasks.filter { task in
            guard query.matchesFilters(task) else { return false }
            if let after = query.after, !query.sort.precedes(after, query.sort.position(of: task)) { return false }
            guard let projectID = task.projectID else { return query.scope.admitsProjectless(task) }
            guard let project = projects[projectID] else { return false }
            return query.scope.admits(
                project, hasProjectRole: data.memberships[projectID]?.contains(query.scope.userID) ?? false)
        }
        .sorted { query.sort.precedes(query.sort.position(of: $0), query.sort.position(of: $1)) }
        .prefix(query.limit).map { $0 }
    }

    @Test("visibility, filters and every sort agree with the reference, for every role", arguments: StoreKind.available)
    func tasksAgree(_ kind: StoreKind) async throws {
        let data = try await Self.dataset(kind)
        #expect(data.tasks.count == 30)
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        for name in ["owner", "admin", "member", "guest", "outsider"] {
            let caller = try #require(data.users[name])
            let memberships = data.workspaceMembers.filter { $0.userID == caller.id }
            let scope = VisibilityScope(caller: caller, memberships: memberships)
            var queries: [TaskQuery] = []
            for sort in TaskSort.Field.allCases.flatMap({
                [TaskSort(field: $0), TaskSort(field: $0, isDescending: true)]
            }) {
                queries.append(TaskQuery(workspaceID: data.workspace, scope: scope, sort: sort, limit: 100))
                queries.append(TaskQuery(workspaceID: data.workspace, scope: scope, sort: sort, limit: 3))
                queries.append(TaskQuery(projectID: data.projects[1].id, scope: scope, sort: sort, limit: 2))
            }
            queries += [
                TaskQuery(workspaceID: data.workspace, words: ["plan"], scope: scope, limit: 100),
                TaskQuery(workspaceID: data.workspace, words: ["plan", "launch"], scope: scope, limit: 100),
                TaskQuery(workspaceID: data.workspace, words: ["50%"], scope: scope, limit: 100),
                TaskQuery(workspaceID: data.workspace, words: ["_"], scope: scope, limit: 100),
                TaskQuery(workspaceID: data.workspace, words: ["%"], scope: scope, limit: 100),
                TaskQuery(workspaceID: data.workspace, isCompleted: true, scope: scope, limit: 100),
                TaskQuery(workspaceID: data.workspace, status: .inProgress, priority: .high, scope: scope, limit: 100),
                TaskQuery(workspaceID: data.workspace, tag: "blue", scope: scope, limit: 100),
                TaskQuery(
                    workspaceID: data.workspace, dueBefore: base.addingTimeInterval(7200), scope: scope, limit: 100),
                TaskQuery(
                    workspaceID: data.workspace, dueAfter: base.addingTimeInterval(3600), scope: scope, limit: 100),
                TaskQuery(assigneeID: data.users["member"]?.id, scope: scope, limit: 100),
                TaskQuery(involvedUserID: caller.id, scope: scope, limit: 100),
                TaskQuery(projectID: data.projects[1].id, scope: scope, limit: 100),
            ]
            for query in queries {
                let answer = try await data.store.transaction { tx in try await tx.tasks(matching: query) }
                #expect(
                    answer.map(\.id) == Self.reference(query, in: data).map(\.id),
                    "\(name): \(query.sort.name) \(query.words)")
            }
        }
    }

    @Test("keyset pages of every sort concatenate to the whole list", arguments: StoreKind.available)
    func pagesConcatenate(_ kind: StoreKind) async throws {
        let data = try await Self.dataset(kind)
        let owner = try #require(data.users["owner"])
        let scope = VisibilityScope(caller: owner, memberships: data.workspaceMembers.filter { $0.userID == owner.id })
        for sort in TaskSort.Field.allCases.flatMap({ [TaskSort(field: $0), TaskSort(field: $0, isDescending: true)] })
        {
            var query = TaskQuery(workspaceID: data.workspace, scope: scope, sort: sort, limit: 4)
            var paged: [TaskID] = []
            while true {
                let page = try await data.store.transaction { [query] tx in try await tx.tasks(matching: query) }
                paged += page.map(\.id)
                guard page.count == query.limit, let last = page.last else { break }
                query.after = sort.position(of: last)
            }
            var whole = query
            whole.after = nil
            whole.limit = 100
            #expect(paged == Self.reference(whole, in: data).map(\.id), "sort \(sort.name)")
        }
    }

    @Test(
        "pages in creation order stay whole after tasks move between projects and parents, change and go away",
        arguments: StoreKind.available)
    func pagesAfterChanges(_ kind: StoreKind) async throws {
        let store = try await kind.makeFreshStore()
        let world = TestWorld(store: store)
        let owner = try await world.register("owner")
        let workspace = try await world.workspace(owner: owner)
        let first = try await world.projects.create(owner, NewProject(workspaceID: workspace, name: "First"))
        let second = try await world.projects.create(owner, NewProject(workspaceID: workspace, name: "Second"))
        let ids = CountingIDGenerator()
        // 400 tasks created in 100 milliseconds (four to a millisecond, so that ids break the ties), inserted out of
        // order; every tenth is a subtask of the first task.
        var tasks = (0..<400).map { index in
            Fixtures.task("T\(index)", in: workspace, project: first.id, owner: owner.id, ids: ids, at: index / 4)
        }
        var random = SplitMix64(seed: 42)
        tasks.shuffle(using: &random)
        let parent = tasks[0]
        for index in tasks.indices where index > 0 && index % 10 == 0 { tasks[index].parentID = parent.id }
        try await store.transaction { [tasks] tx in for task in tasks { try await tx.insertTask(task) } }
        // Every third moves to the second project (with its subtasks' parent kept), every seventh goes away, every
        // fifth gets a new title and priority.
        var kept: [TaskID: TaskItem] = Dictionary(uniqueKeysWithValues: tasks.map { ($0.id, $0) })
        for (index, task) in tasks.enumerated() where index > 0 {
            if index % 7 == 0 {
                try await store.transaction { tx in try await tx.deleteTasks([task.id]) }
                kept[task.id] = nil
                continue
            }
            var changed = task
            if index % 3 == 0 { changed.projectID = second.id }
            if index % 5 == 0 {
                changed.title = "Changed \(index)"
                changed.priority = .high
            }
            guard changed != task else { continue }
            changed.version += 1
            try await store.transaction { [changed] tx in
                try await tx.updateTask(changed, expectedVersion: task.version)
            }
            kept[task.id] = changed
        }
        let ownership = WorkspaceMember(
            workspaceID: workspace, userID: owner.id, role: .owner, joinedAt: Date(timeIntervalSince1970: 0))
        let scope = VisibilityScope(caller: owner, memberships: [ownership])
        let lists: [(String, TaskQuery, (TaskItem) -> Bool)] = [
            ("first project", TaskQuery(projectID: first.id, scope: scope, limit: 9), { $0.projectID == first.id }),
            ("second project", TaskQuery(projectID: second.id, scope: scope, limit: 9), { $0.projectID == second.id }),
            ("subtasks", TaskQuery(parentID: parent.id, scope: scope, limit: 9), { $0.parentID == parent.id }),
            ("workspace", TaskQuery(workspaceID: workspace, scope: scope, limit: 9), { _ in true }),
            (
                "high priority", TaskQuery(workspaceID: workspace, priority: .high, scope: scope, limit: 9),
                {
                    $0.priority == .high
                }
            ),
        ]
        for (name, base, belongs) in lists {
            for sort in [TaskSort.default, TaskSort(field: .createdAt, isDescending: true)] {
                var query = base
                query.sort = sort
                var paged: [TaskItem] = []
                while true {
                    let page = try await store.transaction { [query] tx in try await tx.tasks(matching: query) }
                    paged += page
                    guard page.count == query.limit, let last = page.last else { break }
                    query.after = sort.position(of: last)
                }
                let expected = kept.values.filter(belongs).sorted {
                    sort.precedes(sort.position(of: $0), sort.position(of: $1))
                }
                #expect(paged.map(\.id) == expected.map(\.id), "\(name), \(sort.name)")
                #expect(paged.map(\.title) == expected.map(\.title), "\(name), \(sort.name): the stored versions")
            }
        }
    }

    @Test("project lists agree with the reference for every role", arguments: StoreKind.available)
    func projectsAgree(_ kind: StoreKind) async throws {
        let data = try await Self.dataset(kind)
        for name in ["owner", "admin", "member", "guest", "outsider"] {
            let caller = try #require(data.users[name])
            let scope = VisibilityScope(
                caller: caller, memberships: data.workspaceMembers.filter { $0.userID == caller.id })
            let answer = try await data.store.transaction { tx in
                try await tx.projects(visibleIn: scope, workspaceID: nil, isArchived: nil, after: nil, limit: 100)
            }
            let expected = data.projects.filter {
                scope.admits($0, hasProjectRole: data.memberships[$0.id]?.contains(caller.id) ?? false)
            }
            #expect(answer.map(\.id) == expected.map(\.id), "\(name)")
        }
    }
}
