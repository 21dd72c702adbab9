import TaskCore

extension MemoryTransaction {
    func task(_ id: TaskID) async throws -> TaskItem? {
        await read { $0.tasks[id] }
    }

    func insertTask(_ task: TaskItem) async throws {
        await write { $0.tasks[task.id] = task }
    }

    func updateTask(_ task: TaskItem, expectedVersion: Int) async throws {
        try await write { state in
            guard let stored = state.tasks[task.id] else { throw DomainError.notFound(.task) }
            guard stored.version == expectedVersion else { throw DomainError.versionMismatch(current: stored.version) }
            state.tasks[task.id] = task
        }
    }

    func deleteTasks(_ ids: [TaskID]) async throws {
        await write { state in
            let doomed = Set(ids)
            for id in doomed { state.tasks[id] = nil }
            state.comments = state.comments.filter { !doomed.contains($0.value.taskID) }
        }
    }

    func descendants(of id: TaskID) async throws -> [TaskItem] {
        await read { state in
            var children: [TaskID: [TaskItem]] = [:]
            for task in state.tasks.values {
                if let parentID = task.parentID { children[parentID, default: []].append(task) }
            }
            var result: [TaskItem] = []
            var frontier = [id]
            while !frontier.isEmpty {
                let level = frontier.flatMap { children[$0] ?? [] }.sorted { $0.id < $1.id }
                result += level
                frontier = level.map(\.id)
            }
            return result
        }
    }

    func tasks(matching query: TaskQuery) async throws -> [TaskItem] {
        await read { state in
            let sort = query.sort
            let rows = state.tasks.values.filter { task in
                guard query.matchesFilters(task) else { return false }
                if let after = query.after, !sort.precedes(after, sort.position(of: task)) { return false }
                guard let projectID = task.projectID else { return query.scope.admitsProjectless(task) }
                guard let project = state.projects[projectID] else { return false }
                let hasRole = state.projectMembers[projectID]?[query.scope.userID] != nil
                return query.scope.admits(project, hasProjectRole: hasRole)
            }
            let ordered = rows.sorted { sort.precedes(sort.position(of: $0), sort.position(of: $1)) }
            return Array(ordered.prefix(query.limit))
        }
    }

    func tasks(assignedTo userID: UserID, in workspaceID: WorkspaceID) async throws -> [TaskItem] {
        await read { state in
            state.tasks.values.filter { $0.workspaceID == workspaceID && $0.assigneeID == userID }.sorted { $0.id < $1.id }
        }
    }
}
