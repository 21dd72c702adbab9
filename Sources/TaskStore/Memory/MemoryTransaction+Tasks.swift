import TaskCore

extension MemoryTransaction {
    func task(_ id: TaskID) async throws -> TaskItem? {
        await read { $0.tasks[id] }
    }

    func insertTask(_ task: TaskItem) async throws {
        await write { $0.tasks.upsert(task) }
    }

    func updateTask(_ task: TaskItem, expectedVersion: Int) async throws {
        try await write { state in
            guard let stored = state.tasks[task.id] else { throw DomainError.notFound(.task) }
            guard stored.version == expectedVersion else {
                throw DomainError.versionMismatch(currentTag: "\(stored.version)")
            }
            state.tasks.upsert(task)
        }
    }

    func deleteTasks(_ ids: [TaskID]) async throws {
        await write { state in
            let doomed = Set(ids)
            state.tasks.removeAll(in: doomed)
            state.comments = state.comments.filter { !doomed.contains($0.value.taskID) }
        }
    }

    func descendants(of id: TaskID, locking: Bool) async throws -> [TaskItem] {
        if locking { await takeTurn() }
        return await read { state in
            var result: [TaskItem] = []
            var frontier = [id]
            while !frontier.isEmpty {
                let level = frontier.flatMap { state.tasks.tasks(withParent: $0) }.sorted { $0.id < $1.id }
                result += level
                frontier = level.map(\.id)
            }
            return result
        }
    }

    /// A page in the default order (or its reverse) reads the narrowest ordered index from the cursor on and
    /// stops when the page is full; a page in another order makes one pass over that index, and a list that names
    /// no project, parent or workspace one pass over every task.
    func tasks(matching query: TaskQuery) async throws -> [TaskItem] {
        await read { state in
            var visible = VisibleTasks(query: query, state: state)
            let sort = query.sort
            let index = Self.narrowestIndex(for: query)
            let start = query.after.flatMap(TaskOrderKey.init)
            if let index, sort.field == .createdAt, query.after == nil || start != nil {
                var page: [TaskItem] = []
                var tasks = state.tasks.tasks(in: index, from: start, descending: sort.isDescending)
                while page.count < query.limit, let task = tasks.next() {
                    if visible.admits(task) { page.append(task) }
                }
                return page
            }
            var page = FirstRows<TaskItem>(limit: query.limit) {
                sort.precedes(sort.position(of: $0), sort.position(of: $1))
            }
            let candidates: any Sequence<TaskItem> =
                if let index { state.tasks.tasks(in: index, from: nil, descending: false) } else { state.tasks.values }
            for task in candidates {
                if let after = query.after, !sort.precedes(after, sort.position(of: task)) { continue }
                if visible.admits(task) { page.offer(task) }
            }
            return page.rows
        }
    }

    /// The index of the query's project, else its parent, else its workspace; `nil` when it names none.
    private static func narrowestIndex(for query: TaskQuery) -> MemoryTaskTable.Index? {
        if let projectID = query.projectID { return .project(projectID) }
        if let parentID = query.parentID { return .parent(parentID) }
        if let workspaceID = query.workspaceID { return .workspace(workspaceID) }
        return nil
    }

    /// Locks them, as PostgreSQL's `FOR UPDATE` does: the caller changes them next.
    func tasks(assignedTo userID: UserID, in workspaceID: WorkspaceID) async throws -> [TaskItem] {
        await takeTurn()
        return await read { state in
            state.tasks.tasks(inWorkspace: workspaceID).filter { $0.assigneeID == userID }.sorted { $0.id < $1.id }
        }
    }
}

/// Whether a task passes a query's filters and the caller may see it, with each project's answer asked once.
private struct VisibleTasks {
    let query: TaskQuery
    let state: MemoryState
    private var projectAdmitted: [ProjectID: Bool] = [:]

    init(query: TaskQuery, state: MemoryState) {
        self.query = query
        self.state = state
    }

    mutating func admits(_ task: TaskItem) -> Bool {
        guard query.matchesFilters(task) else { return false }
        guard let projectID = task.projectID else { return query.scope.admitsProjectless(task) }
        if let known = projectAdmitted[projectID] { return known }
        let hasRole = state.projectMembers[projectID]?[query.scope.userID] != nil
        let admitted = state.projects[projectID].map { query.scope.admits($0, hasProjectRole: hasRole) } ?? false
        projectAdmitted[projectID] = admitted
        return admitted
    }
}
