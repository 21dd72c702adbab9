/// Tasks, inside a transaction.
public protocol TaskItemStore: Sendable {
    /// The task with `id`, or `nil`.
    func task(_ id: TaskID) async throws -> TaskItem?
    /// Stores a new task.
    func insertTask(_ task: TaskItem) async throws
    /// Inserts a task and appends the events that record it (`appendEvents`): one statement on PostgreSQL.
    func insertTask(_ task: TaskItem, recording events: [ActivityEvent]) async throws
    /// Replaces a stored task if its stored version is still `expectedVersion`.
    /// - Throws: `DomainError.versionMismatch` with the stored version when it is not; `.notFound(.task)` when
    ///   the task is gone.
    func updateTask(_ task: TaskItem, expectedVersion: Int) async throws
    /// `updateTask(_:expectedVersion:)` and `appendEvents(events)` in one: the events are appended only when the
    /// change is made (one statement on PostgreSQL).
    func updateTask(_ task: TaskItem, expectedVersion: Int, recording events: [ActivityEvent]) async throws
    /// Deletes tasks with their comments (activity events are kept).
    func deleteTasks(_ ids: [TaskID]) async throws
    /// Every task below `id` (subtasks, their subtasks, ...), parents before children; with `locking`, each is
    /// locked for a change until the transaction ends.
    func descendants(of id: TaskID, locking: Bool) async throws -> [TaskItem]
    /// The tasks that match `query`, in its order, strictly after its position, at most its limit.
    func tasks(matching query: TaskQuery) async throws -> [TaskItem]
    /// The tasks of a workspace assigned to `userID`, each locked for a change until the transaction ends (their
    /// reader unassigns them).
    func tasks(assignedTo userID: UserID, in workspaceID: WorkspaceID) async throws -> [TaskItem]
}

extension StoreTransaction {
    /// Inserts the task, then appends the events.
    public func insertTask(_ task: TaskItem, recording events: [ActivityEvent]) async throws {
        try await insertTask(task)
        try await appendEvents(events)
    }

    /// Updates the task, then appends the events.
    public func updateTask(_ task: TaskItem, expectedVersion: Int, recording events: [ActivityEvent]) async throws {
        try await updateTask(task, expectedVersion: expectedVersion)
        try await appendEvents(events)
    }
}
