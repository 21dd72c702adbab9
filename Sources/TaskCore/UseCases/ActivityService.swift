/// The activity log of a task.
public struct ActivityService: Sendable {
    let store: any DataStore

    /// Creates the service.
    public init(store: any DataStore) {
        self.store = store
    }

    /// A task's events, oldest first (whoever can see the task; a deleted task's log answers not found).
    /// - Throws: `.notFound(.task)`.
    public func activity(_ claim: some CallerClaim, of taskID: TaskID, page: PageRequest) async throws
        -> Page<ActivityEvent>
    {
        let after = try PageCursor.position(from: page.cursor, ordering: Self.ordering, values: .integers(0...Int.max))
        let rows = try await store.transaction { tx in
            _ = try await tx.claimedTask(taskID, by: claim)
            return try await tx.events(of: taskID, after: after, limit: page.limit + 1)
        }
        return Page.from(rows: rows, limit: page.limit, ordering: Self.ordering, position: \.position).map(\.event)
    }

    private static let ordering = "activity"
}
