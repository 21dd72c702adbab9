import Foundation

/// Tasks: creating, reading and listing them. Changes are in `TaskService+Update.swift`, deletion in
/// `TaskService+Delete.swift`.
public struct TaskService: Sendable {
    let store: any DataStore
    let now: Now
    let ids: any IDGenerator

    /// Creates the service.
    public init(store: any DataStore, now: @escaping Now, ids: any IDGenerator) {
        self.store = store
        self.now = now
        self.ids = ids
    }

    /// Creates a task and records `task_created`.
    ///
    /// In a project: project `editor`+. Without one: workspace `member`+; with neither a project nor a
    /// workspace, the task goes to the caller's personal workspace. A subtask goes to its parent's project.
    /// - Throws: `.validation` for bad fields and for ids that do not exist or that the caller cannot see;
    ///   `.forbidden`; `.conflict(.projectArchived)`.
    public func create(_ claim: some CallerClaim, _ input: NewTask) async throws -> TaskItem {
        var errors = FieldErrors()
        let title = TaskTextRules.title(input.title, into: &errors)
        let description = TaskTextRules.description(input.description, into: &errors)
        let tags = TaskTextRules.tags(input.tags, into: &errors)
        try errors.throwIfAny()
        let at = now()
        return try await store.transaction { tx in
            let (placement, caller) = try await placement(of: input, for: claim, in: tx)
            var task = TaskItem(
                id: ids.make(), workspaceID: placement.workspaceID, projectID: placement.project?.id,
                parentID: input.parentID, title: title ?? "", description: description ?? "",
                priority: input.priority ?? .none, assigneeID: input.assigneeID, ownerID: caller.id,
                dueDate: input.dueDate, startDate: input.startDate, tags: tags ?? [], createdAt: at, updatedAt: at)
            task.setStatus(input.status ?? .todo, at: at)
            if let assigneeID = input.assigneeID {
                try await requireAssignable(
                    assigneeID, workspaceID: task.workspaceID, project: placement.project, in: tx)
            }
            try await tx.insertTask(
                task,
                recording: [
                    ActivityEvent(
                        id: ids.make(), taskID: task.id, workspaceID: task.workspaceID, projectID: task.projectID,
                        actorID: caller.id, kind: .taskCreated, at: at, changes: .none)
                ])
            return task
        }
    }

    /// One task the caller can see; with an access token, its user is read with the task (one statement on
    /// PostgreSQL instead of two).
    /// - Throws: `.unauthenticated` when the token's user may not use it, before anything about the task;
    ///   `.notFound(.task)`.
    public func task(_ claim: some CallerClaim, id: TaskID) async throws -> TaskItem {
        try await store.transaction { tx in try await tx.claimedTask(id, by: claim).0.task }
    }

    /// The tasks the caller can see that match `filter`, in `sort` order; with an access token, its user is read
    /// with the filter's project.
    ///
    /// With neither a workspace nor a project filter, only tasks the caller owns or is assigned are listed.
    /// - Throws: `.unauthenticated` when the token's user may not use it, before any error about the filter;
    ///   `.validation` naming the filter's own fields (`text`, `tag`) or the page's (`cursor`): a cursor of another
    ///   ordering, a search text that is too long or has too many words.
    public func tasks(
        _ claim: some CallerClaim, matching filter: TaskFilter, sort: TaskSort = .default, page: PageRequest
    ) async throws -> Page<TaskItem> {
        try await store.transaction { tx in
            guard let projectID = filter.projectID else {
                let (scope, caller) = try await tx.claimedScope(by: claim)
                return try await tasks(caller, matching: filter, sort: sort, page: page, known: .scope(scope))
            }
            let (visible, caller) = try await tx.claimedProjectIfVisible(projectID, by: claim)
            return try await tasks(caller, matching: filter, sort: sort, page: page, known: .project(visible != nil))
        }
    }

    /// What a list read already about what its caller sees.
    private enum KnownVisibility {
        /// Whether the caller sees the filter's project.
        case project(Bool)
        /// What the caller sees, for a list without a project filter.
        case scope(VisibilityScope)
    }

    /// The list, with what the caller sees as `known` says.
    private func tasks(
        _ caller: Caller, matching filter: TaskFilter, sort: TaskSort, page: PageRequest, known: KnownVisibility
    ) async throws -> Page<TaskItem> {
        if let text = filter.text, text.unicodeScalars.count > 500 || text.unicodeScalars.contains("\u{0}") {
            throw DomainError.invalid("text", "must be at most 500 characters without NUL")
        }
        let words = TaskQuery.words(in: filter.text ?? "")
        if words.count > FieldLimits.searchWords {
            throw DomainError.invalid("text", "must have at most \(FieldLimits.searchWords) different words")
        }
        if let tag = filter.tag, tag.unicodeScalars.contains("\u{0}") {
            throw DomainError.invalid("tag", "must not contain a NUL character")
        }
        let after = try PageCursor.position(from: page.cursor, ordering: sort.name, values: sort.cursorValues)
        let rows = try await store.transaction { tx in
            let scope: VisibilityScope
            switch known {
            case .project(let isVisible):
                // A task in a project is visible exactly when its project is (AccessPolicy.taskPermissions), so
                // one check of the project spares the store a per-row visibility test.
                guard isVisible else { return [TaskItem]() }
                scope = .unrestricted(for: caller.id)
            case .scope(let known):
                scope = known
            }
            var query = TaskQuery(
                workspaceID: filter.workspaceID, projectID: filter.projectID, parentID: filter.parentID,
                isCompleted: filter.isCompleted, status: filter.status, priority: filter.priority,
                tag: filter.tag?.trimmingCharacters(in: .whitespacesAndNewlines), dueBefore: filter.dueBefore,
                dueAfter: filter.dueAfter, words: words,
                scope: scope, sort: sort, after: after, limit: page.limit + 1)
            switch filter.assignee {
            case .user(let id): query.assigneeID = id
            case .me: query.assigneeID = caller.id
            case nil: break
            }
            if filter.workspaceID == nil && filter.projectID == nil { query.involvedUserID = caller.id }
            return try await tx.tasks(matching: query)
        }
        return Page.from(rows: rows, limit: page.limit, ordering: sort.name, position: sort.position(of:))
    }

    /// The subtasks of a task the caller can see, oldest first. - Throws: `.notFound(.task)`.
    ///
    /// A subtask is always in its parent's project, so when the parent has one, every subtask is as visible as the
    /// parent and the caller's memberships are not read; a task without a project is its owner's and assignee's, so
    /// there each subtask is checked against them.
    public func subtasks(_ claim: some CallerClaim, of id: TaskID, page: PageRequest) async throws -> Page<TaskItem> {
        let sort = TaskSort.default
        let after = try PageCursor.position(from: page.cursor, ordering: sort.name, values: sort.cursorValues)
        let rows = try await store.transaction { tx in
            let (parent, caller) = try await tx.claimedTask(id, by: claim)
            let scope =
                parent.task.projectID == nil
                ? try await tx.visibilityScope(of: caller) : VisibilityScope.unrestricted(for: caller.id)
            let query = TaskQuery(parentID: id, scope: scope, sort: sort, after: after, limit: page.limit + 1)
            return try await tx.tasks(matching: query)
        }
        return Page.from(rows: rows, limit: page.limit, ordering: sort.name, position: sort.position(of:))
    }

    /// Where a new task goes: its workspace and project, checked against what the caller may do.
    /// The claim's user is read with the parent or the project, whichever the input names first.
    private func placement(
        of input: NewTask, for claim: some CallerClaim, in tx: any StoreTransaction
    ) async throws -> (placement: (workspaceID: WorkspaceID, project: Project?), caller: Caller) {
        if let parentID = input.parentID {
            // The parent stays where it is until this transaction ends: a subtask never lands in the project its
            // parent is moving away from, nor under a parent being deleted.
            guard
                let (parent, caller) = try await notFoundAsNil({
                    try await tx.claimedTask(parentID, by: claim, locking: .share)
                })
            else {
                throw DomainError.invalid("parent_id", "does not name a task you can see")
            }
            if let projectID = input.projectID, projectID != parent.task.projectID {
                throw DomainError.invalid("project_id", "must be the parent task's project")
            }
            if let workspaceID = input.workspaceID, workspaceID != parent.task.workspaceID {
                throw DomainError.invalid("workspace_id", "must be the parent task's workspace")
            }
            try parent.requireEditable()
            return ((parent.task.workspaceID, parent.project), caller)
        }
        if let projectID = input.projectID {
            let (visible, caller) = try await tx.claimedProjectIfVisible(projectID, by: claim, locking: .share)
            guard let (project, role) = visible else {
                throw DomainError.invalid("project_id", "does not name a project you can see")
            }
            if let workspaceID = input.workspaceID, workspaceID != project.workspaceID {
                throw DomainError.invalid("workspace_id", "must be the project's workspace")
            }
            guard AccessPolicy.canEditTasks(role) else { throw DomainError.forbidden }
            try project.requireWritable()
            return ((project.workspaceID, project), caller)
        }
        let caller = try await tx.caller(for: claim)
        let workspaceID: WorkspaceID
        if let given = input.workspaceID {
            workspaceID = given
        } else {
            guard let personal = try await tx.user(caller.id)?.personalWorkspaceID else {
                throw DomainError.invalid("workspace_id", "is required: you have no personal workspace")
            }
            workspaceID = personal
        }
        guard try await tx.workspace(workspaceID) != nil,
            let role = try await tx.workspaceRole(of: caller, in: workspaceID)
        else { throw DomainError.invalid("workspace_id", "does not name a workspace you belong to") }
        guard AccessPolicy.canCreateProjectlessTask(role) else { throw DomainError.forbidden }
        return ((workspaceID, nil), caller)
    }

    /// Checks that `assigneeID` belongs to the workspace and can see the project.
    /// - Throws: `.validation` naming `field` otherwise.
    func requireAssignable(
        _ assigneeID: UserID, workspaceID: WorkspaceID, project: Project?, in tx: any StoreTransaction,
        field: String = "assignee_id"
    ) async throws {
        guard let member = try await tx.workspaceMember(workspaceID, assigneeID) else {
            throw DomainError.invalid(field, "does not name a member of the task's workspace")
        }
        guard let project else { return }
        let explicit = try await tx.projectMember(project.id, assigneeID)
        let role = AccessPolicy.effectiveProjectRole(
            workspaceRole: member.role, projectMemberRole: explicit?.role, visibility: project.visibility)
        guard AccessPolicy.canViewProject(role) else {
            throw DomainError.invalid(field, "names a user who cannot see the task's project")
        }
    }
}

/// The value `read` returns, or `nil` when it throws `DomainError.notFound`: for an id in a body, where a missing
/// record is a field fault. Any other error, a store failure above all, passes through (a `503` or `500`, never a
/// `404` or `422` that would tell the client its input was wrong).
func notFoundAsNil<Value>(_ read: () async throws -> Value) async throws -> Value? {
    do {
        return try await read()
    } catch DomainError.notFound {
        return nil
    }
}
