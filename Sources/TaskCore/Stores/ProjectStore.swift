/// Projects and their memberships, inside a transaction.
public protocol ProjectStore: Sendable {
    /// The project with `id`, or `nil`.
    func project(_ id: ProjectID) async throws -> Project?
    /// Stores a new project.
    func insertProject(_ project: Project) async throws
    /// Stores a new project with its creator's membership (`creator`) and appends the events that
    /// record them: one statement on PostgreSQL.
    func insertProject(_ project: Project, creator: ProjectMember, recording events: [ActivityEvent]) async throws
    /// Replaces a stored project. - Throws: `.notFound(.project)` when it is gone.
    func updateProject(_ project: Project) async throws
    /// `updateProject(_:)` and `appendEvents(events)` in one: the events are appended only when the project was
    /// there to change (one statement on PostgreSQL). - Throws: `.notFound(.project)` when it is gone.
    func updateProject(_ project: Project, recording events: [ActivityEvent]) async throws
    /// Deletes a project with its memberships, tasks and their comments (activity events are kept).
    func deleteProject(_ id: ProjectID) async throws
    /// The projects `scope` admits, optionally of one workspace and archived state, ordered by `(createdAt, id)`.
    func projects(
        visibleIn scope: VisibilityScope, workspaceID: WorkspaceID?, isArchived: Bool?, after: PagePosition?, limit: Int
    ) async throws -> [Project]

    /// The explicit role of `userID` in `projectID`, or `nil`.
    func projectMember(_ projectID: ProjectID, _ userID: UserID) async throws -> ProjectMember?
    /// The explicit role of `userID` in `projectID`, or `nil`, locked for a read-modify-write until the
    /// transaction ends.
    func lockProjectMember(_ projectID: ProjectID, _ userID: UserID) async throws -> ProjectMember?
    /// A project's explicit members with email and name, ordered by `(addedAt, userID)`.
    func projectMembers(of projectID: ProjectID, after: PagePosition?, limit: Int) async throws -> [MemberProfile]
    /// Stores a new project membership. - Throws: `.conflict(.alreadyMember)` when the user already has one.
    func insertProjectMember(_ member: ProjectMember) async throws
    /// Replaces a project membership's role. - Throws: `.notFound(.projectMember)` when it is gone.
    func updateProjectMember(_ member: ProjectMember) async throws
    /// Removes a project membership.
    func deleteProjectMember(_ projectID: ProjectID, _ userID: UserID) async throws
    /// Removes every project membership of `userID` in the projects of `workspaceID`, returning them in project
    /// id order.
    func deleteProjectMemberships(of userID: UserID, in workspaceID: WorkspaceID) async throws -> [ProjectMember]
}

extension StoreTransaction {
    /// Inserts the project, then its creator's membership, then appends the events.
    public func insertProject(_ project: Project, creator: ProjectMember, recording events: [ActivityEvent])
        async throws
    {
        try await insertProject(project)
        try await insertProjectMember(creator)
        try await appendEvents(events)
    }

    /// Updates the project, then appends the events.
    public func updateProject(_ project: Project, recording events: [ActivityEvent]) async throws {
        try await updateProject(project)
        try await appendEvents(events)
    }
}
