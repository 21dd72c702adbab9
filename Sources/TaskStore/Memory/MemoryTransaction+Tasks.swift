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

    func tasks(matching query: TaskQuery) async throws -> [TaskItem] {
        await read { state in
            let sort = query.sort
            let candidates: [TaskItem]
            if let projectID = query.projectID {
                candidates = state.tasks.tasks(inProject: projectID)
            } else if let parentID = query.parentID {
                candidates = state.tasks.tasks(withParent: parentID)
            } else if let workspaceID = query.workspaceID {
                candidates = state.tasks.tasks(inWorkspace: workspaceID)
            } else {
                candidates = Array(state.tasks.values)
            }
            var projectAdmitted: [ProjectID: Bool] = [:]
            var page = FirstRows<TaskItem>(limit: query.limit) {
                sort.precedes(sort.position(of: $0), sort.position(of: $1))
            }
            for task in candidates {
                guard query.matchesFilters(task) else { continue }
                if let after = query.after, !sort.precedes(after, sort.position(of: task)) { continue }
                guard let projectID = task.projectID else {
                    if query.scope.admitsProjectless(task) { page.offer(task) }
                    continue
                }
                let admitted: Bool
                if let known = projectAdmitted[projectID] {
                    admitted = known
                } else {
                    let hasRole = state.projectMembers[projectID]?[query.scope.userID] != nil
                    admitted =
                        state.projects[projectID].map { query.scope.admits($0, hasProjectRole: hasRole) } ?? false
                    projectAdmitted[projectID] = admitted
                }
                if admitted { page.offer(task) }
            }
            return page.rows
        }
    }

    /// Locks them, as PostgreSQL's `FOR UPDATE` does: the caller changes them next.
    func tasks(assignedTo userID: UserID, in workspaceID: WorkspaceID) async throws -> [TaskItem] {
        await takeTurn()
        return await read { state in
            state.tasks.tasks(inWorkspace: workspaceID).filter { $0.assigneeID == userID }.sorted { $0.id < $1.id }
        }
    }
}
