extension TaskService {
    /// Deletes a task with its subtasks and their comments, recording `task_deleted` for each task deleted.
    /// Same rules as `update`.
    /// - Parameter precondition: the client's `If-Match`; when given, a stale one fails and deletes nothing.
    public func delete(_ claim: some CallerClaim, id: TaskID, precondition: VersionPrecondition? = nil) async throws {
        let at = now()
        try await store.transaction { tx in
            let (visible, caller) = try await tx.claimedTask(id, by: claim, locking: .update)
            guard visible.permissions.canEdit else { throw DomainError.forbidden }
            try VersionPrecondition.check(precondition, currentTag: "\(visible.task.version)")
            try visible.project?.requireWritable()
            let doomed = [visible.task] + (try await tx.lockedSubtree(below: id))
            try await tx.appendEvents(
                doomed.map { task in
                    ActivityEvent(
                        id: ids.make(), taskID: task.id, workspaceID: task.workspaceID, projectID: task.projectID,
                        actorID: caller.id, kind: .taskDeleted, at: at, changes: .none)
                })
            try await tx.deleteTasks(doomed.map(\.id))
        }
    }
}

extension TaskService {
    /// `delete` with a version pinned by number.
    public func delete(_ caller: Caller, id: TaskID, expectedVersion: Int?) async throws {
        try await delete(caller, id: id, precondition: expectedVersion.map(VersionPrecondition.version))
    }
}

extension StoreTransaction {
    /// Every task below `id`, each locked for a change. A subtask is added only under a share lock on its parent,
    /// so once every task of the subtree is locked none can be added; the subtree is read again until it holds no
    /// task that was not locked yet.
    func lockedSubtree(below id: TaskID) async throws -> [TaskItem] {
        var locked: Set<TaskID> = [id]
        while true {
            let subtree = try await descendants(of: id, locking: true)
            let ids = Set(subtree.map(\.id))
            if ids.isSubset(of: locked) { return subtree }
            locked.formUnion(ids)
        }
    }
}
