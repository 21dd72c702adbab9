import Foundation

extension TaskService {
    /// Applies a partial update (or, built with `TaskPatch.replacing`, a full replacement) and records what
    /// changed. A request that changes nothing records nothing and keeps the version.
    ///
    /// Who: project `editor`+, or for a task without a project its owner, its assignee and the workspace's
    /// owners and admins. A new project must be in the same workspace with `editor`+ there too; the task moves
    /// with its subtasks, each recording `task_moved`.
    ///
    /// The checks come in the order a client needs them: the task must be visible (404), the caller may change it
    /// (403), the client's `If-Match` is current (412), and only then is the change read (`input`, whose faults
    /// are 422) and checked against the project's state (409).
    /// - Parameters:
    ///   - precondition: the client's `If-Match`; when given, a stale one fails and changes nothing. Without it
    ///     the change never fails because of a concurrent one: it waits for it and applies to the result.
    ///   - input: reads the change; it runs once the checks above have passed.
    /// - Throws: `.notFound(.task)`, `.forbidden`, `.versionMismatch`, `.validation`, `.conflict(.projectArchived)`.
    public func update(
        _ claim: some CallerClaim, id: TaskID, precondition: VersionPrecondition? = nil,
        _ input: @escaping @Sendable () throws -> TaskPatch
    ) async throws -> TaskItem {
        let at = now()
        return try await retryingLostRaces(when: precondition == nil) {
            try await store.transaction { tx in
                let (visible, caller) = try await tx.claimedTask(id, by: claim, locking: .update)
                guard visible.permissions.canEdit else { throw DomainError.forbidden }
                let current = visible.task
                try VersionPrecondition.check(precondition, currentTag: "\(current.version)")
                let patch = try input()
                let fields = try CheckedTaskPatch(patch)
                try visible.project?.requireWritable()
                var updated = current
                fields.apply(to: &updated, at: at)
                var project = visible.project
                if case .set(let newProjectID) = patch.projectID, newProjectID != current.projectID {
                    project = try await moveTarget(newProjectID, for: current, caller: caller, in: tx)
                    updated.projectID = newProjectID
                }
                if let assigneeID = updated.assigneeID,
                    updated.assigneeID != current.assigneeID || updated.projectID != current.projectID
                {
                    try await requireAssignable(assigneeID, workspaceID: updated.workspaceID, project: project, in: tx)
                }
                let log = TaskChangeLog(before: current, after: updated)
                guard log.hasChanges else { return current }
                updated.updatedAt = at
                updated.version = current.version + 1
                let events = log.events(actorID: caller.id, at: at, ids: ids)
                guard updated.projectID != current.projectID else {
                    try await tx.updateTask(updated, expectedVersion: current.version, recording: events)
                    return updated
                }
                try await tx.updateTask(updated, expectedVersion: current.version)
                let moved = try await moveDescendants(of: updated, to: project, actorID: caller.id, at: at, in: tx)
                try await tx.appendEvents(events + moved)
                return updated
            }
        }
    }

    /// `update` with a change read already: for callers that need no particular order of checks.
    public func update(
        _ caller: Caller, id: TaskID, _ patch: TaskPatch, expectedVersion: Int? = nil
    ) async throws -> TaskItem {
        try await update(caller, id: id, precondition: expectedVersion.map(VersionPrecondition.version)) { patch }
    }

    /// Completes (`true`) or reopens (`false`) a task; same rules and order of checks as `update`.
    public func complete(
        _ claim: some CallerClaim, id: TaskID, precondition: VersionPrecondition? = nil,
        completed: @escaping @Sendable () throws -> Bool
    ) async throws -> TaskItem {
        try await update(claim, id: id, precondition: precondition) { TaskPatch(isCompleted: .set(try completed())) }
    }

    /// Completes (`true`) or reopens (`false`) a task.
    public func complete(
        _ caller: Caller, id: TaskID, completed: Bool = true, expectedVersion: Int? = nil
    ) async throws -> TaskItem {
        try await complete(caller, id: id, precondition: expectedVersion.map(VersionPrecondition.version)) { completed }
    }

    /// Checks a move of `task` to `projectID` (or out of any project) and returns the target project.
    private func moveTarget(
        _ projectID: ProjectID?, for task: TaskItem, caller: Caller, in tx: any StoreTransaction
    ) async throws -> Project? {
        if task.parentID != nil {
            throw DomainError.invalid("project_id", "cannot change on a subtask: it moves with its parent")
        }
        guard let projectID else { return nil }
        guard
            let (project, role) = try await notFoundAsNil({
                try await tx.visibleProject(projectID, for: caller, locking: .share)
            }),
            project.workspaceID == task.workspaceID
        else { throw DomainError.invalid("project_id", "does not name a project you can see in the task's workspace") }
        guard AccessPolicy.canEditTasks(role) else { throw DomainError.forbidden }
        try project.requireWritable()
        return project
    }

    /// Moves every subtask below `parent` to its project, recording `task_moved` for each.
    private func moveDescendants(
        of parent: TaskItem, to project: Project?, actorID: UserID, at: Date, in tx: any StoreTransaction
    ) async throws -> [ActivityEvent] {
        var events: [ActivityEvent] = []
        for child in try await tx.descendants(of: parent.id, locking: true) where child.projectID != parent.projectID {
            var moved = child
            moved.projectID = parent.projectID
            moved.updatedAt = at
            moved.version = child.version + 1
            if let assigneeID = moved.assigneeID {
                try await requireAssignable(
                    assigneeID, workspaceID: moved.workspaceID, project: project, in: tx, field: "project_id")
            }
            try await tx.updateTask(moved, expectedVersion: child.version)
            events += TaskChangeLog(before: child, after: moved).events(actorID: actorID, at: at, ids: ids)
        }
        return events
    }

    /// Runs `work` again (up to three times in all) when another change won a race for the same task between
    /// this one's read and write, unless the client pinned a version.
    func retryingLostRaces<Result>(when isAllowed: Bool, _ work: () async throws -> Result) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await work()
            } catch DomainError.versionMismatch where isAllowed && attempt < 3 {
                attempt += 1
            }
        }
    }
}

/// A `TaskPatch` whose text fields passed the rules, ready to apply.
struct CheckedTaskPatch {
    var title: FieldPatch<String>
    var description: FieldPatch<String>
    var tags: FieldPatch<[String]>
    var status: TaskStatus?
    var priority: FieldPatch<TaskPriority>
    var assigneeID: FieldPatch<UserID?>
    var dueDate: FieldPatch<Date?>
    var startDate: FieldPatch<Date?>

    /// Checks every field. - Throws: `.validation` listing each fault.
    init(_ patch: TaskPatch) throws {
        var errors = FieldErrors()
        title = patch.title.map { text in
            guard let text else {
                errors.add("title", "must not be null")
                return ""
            }
            return TaskTextRules.title(text, into: &errors) ?? ""
        }
        description = patch.description.map { TaskTextRules.description($0, into: &errors) ?? "" }
        tags = patch.tags.map { TaskTextRules.tags($0, into: &errors) ?? [] }
        let statusFromCompletion: TaskStatus?? = {
            switch patch.isCompleted {
            case .unchanged: return .none
            case .set(nil):
                errors.add("completed", "must not be null")
                return .none
            case .set(.some(let completed)): return .some(completed ? .done : nil)
            }
        }()
        switch (patch.status, statusFromCompletion) {
        case (.set(let status), .some(let implied)):
            let status = status ?? .todo
            if (status == .done) != (implied == .done) {
                errors.add("completed", "contradicts status")
            }
            self.status = status
        case (.set(let status), .none):
            self.status = status ?? .todo
        case (.unchanged, .some(let implied)):
            self.status = implied
            isReopening = implied == nil
        case (.unchanged, .none):
            self.status = nil
        }
        priority = patch.priority.map { $0 ?? TaskPriority.none }
        assigneeID = patch.assigneeID
        dueDate = patch.dueDate
        startDate = patch.startDate
        try errors.throwIfAny()
    }

    /// Whether the patch reopens the task (`completed: false` without a status).
    var isReopening = false

    /// Applies the checked fields to `task`, keeping status and completion consistent.
    func apply(to task: inout TaskItem, at: Date) {
        task.title = title.applied(to: task.title)
        task.description = description.applied(to: task.description)
        task.tags = tags.applied(to: task.tags)
        task.priority = priority.applied(to: task.priority)
        task.assigneeID = assigneeID.applied(to: task.assigneeID)
        task.dueDate = dueDate.applied(to: task.dueDate)
        task.startDate = startDate.applied(to: task.startDate)
        if let status {
            task.setStatus(status, at: at)
        } else if isReopening, task.status == .done {
            task.setStatus(.todo, at: at)
        }
    }
}
