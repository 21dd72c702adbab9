extension TaskService {
    /// Deletes a task with its subtasks and their comments, recording `task_deleted` for each task deleted.
    /// Same rules as `update`.
    /// - Parameter expectedVersion: the client's `If-Match`; when given, a stale one fails and deletes nothing.
    public func delete(_ caller: Caller, id: TaskID, expectedVersion: Int? = nil) async throws {
        let at = now()
        try await store.transaction { tx in
            let visible = try await tx.visibleTask(id, for: caller)
            try visible.requireEditable()
            if let expectedVersion, expectedVersion != visible.task.version {
                throw DomainError.versionMismatch(current: visible.task.version)
            }
            let doomed = [visible.task] + (try await tx.descendants(of: id))
            try await tx.appendEvents(doomed.map { task in
                ActivityEvent(
                    id: ids.make(), taskID: task.id, workspaceID: task.workspaceID, actorID: caller.id,
                    kind: .taskDeleted, at: at, changes: .none)
            })
            try await tx.deleteTasks(doomed.map(\.id))
        }
    }
}
