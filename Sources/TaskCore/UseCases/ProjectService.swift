import Foundation

/// Projects: creating, listing, changing, archiving and deleting them.
public struct ProjectService: Sendable {
    let store: any DataStore
    let now: Now
    let ids: any IDGenerator

    /// Creates the service.
    public init(store: any DataStore, now: @escaping Now, ids: any IDGenerator) {
        self.store = store
        self.now = now
        self.ids = ids
    }

    /// Creates a project (workspace `member`+); the caller becomes its `admin`. The claim's user is read with the
    /// workspace and the user's membership in it (one statement on PostgreSQL).
    /// - Throws: `.validation` (also when the workspace does not exist or the caller does not belong to it).
    public func create(_ claim: some CallerClaim, _ input: NewProject) async throws -> Project {
        var errors = FieldErrors()
        let name = TextRules.trimmed(input.name, field: "name", length: FieldLimits.name, into: &errors)
        let description = TextRules.trimmed(
            input.description ?? "", field: "description", length: FieldLimits.description, into: &errors)
        try errors.throwIfAny()
        let at = now()
        let project = Project(
            id: ids.make(), workspaceID: input.workspaceID, name: name ?? "", description: description ?? "",
            visibility: input.visibility ?? .workspace, createdAt: at, updatedAt: at)
        try await store.transaction { tx in
            let (facts, caller) = try await tx.claimedWorkspaceAccess(input.workspaceID, by: claim)
            guard let facts, let role = caller.workspaceRole(in: input.workspaceID, membership: facts.memberRole)
            else { throw DomainError.invalid("workspace_id", "does not name a workspace you belong to") }
            guard AccessPolicy.canCreateProject(role) else { throw DomainError.forbidden }
            let creator = ProjectMember(
                projectID: project.id, workspaceID: project.workspaceID, userID: caller.id, role: .admin, addedAt: at)
            let records = EventRecords(ids: ids, actorID: caller.id, at: at)
            try await tx.insertProject(
                project, creator: creator,
                recording: [
                    records.project(.projectCreated, project),
                    records.projectMember(
                        .projectMemberAdded, in: project.id, workspaceID: project.workspaceID, userID: caller.id,
                        from: nil, to: .admin),
                ])
        }
        return project
    }

    /// The projects the caller can see, optionally of one workspace and archived state, oldest first.
    public func projects(
        _ claim: some CallerClaim, workspaceID: WorkspaceID?, isArchived: Bool?, page: PageRequest
    ) async throws -> Page<Project> {
        let after = try PageCursor.position(from: page.cursor, ordering: Self.ordering)
        let rows = try await store.transaction { tx in
            let (scope, _) = try await tx.claimedScope(by: claim)
            return try await tx.projects(
                visibleIn: scope, workspaceID: workspaceID, isArchived: isArchived, after: after, limit: page.limit + 1)
        }
        return Page.from(rows: rows, limit: page.limit, ordering: Self.ordering) {
            PagePosition(value: .date($0.createdAt), id: $0.id.uuid)
        }
    }

    /// One project (`viewer`+). - Throws: `.notFound(.project)` unless the caller sees it.
    public func project(_ claim: some CallerClaim, id: ProjectID) async throws -> Project {
        try await store.transaction { tx in try await tx.claimedProject(id, by: claim).0 }
    }

    /// Changes a project (project `admin`). An archived project takes no change but one that restores it.
    /// - Throws: `.forbidden`; `.conflict(.projectArchived)`; `.validation`.
    public func update(_ claim: some CallerClaim, id: ProjectID, _ patch: ProjectPatch) async throws -> Project {
        try await update(claim, id: id, precondition: nil) { patch }
    }

    /// `update`, checking the client's `If-Match` after visibility (404) and permission (403) and before reading
    /// the change (`input`, 422). The claim's user is read with the project's locked row (one statement on
    /// PostgreSQL).
    public func update(
        _ claim: some CallerClaim, id: ProjectID, precondition: VersionPrecondition?,
        _ input: @escaping @Sendable () throws -> ProjectPatch
    ) async throws -> Project {
        let at = now()
        return try await store.transaction { tx in
            var (project, role, caller) = try await tx.claimedProject(id, by: claim, locking: .update)
            guard AccessPolicy.canManageProject(role) else { throw DomainError.forbidden }
            try VersionPrecondition.check(precondition, currentTag: "\(project.version)")
            let patch = try input()
            var errors = FieldErrors()
            let name = patch.name.map {
                TextRules.trimmed($0, field: "name", length: FieldLimits.name, into: &errors) ?? ""
            }
            let description = patch.description.map {
                TextRules.trimmed($0 ?? "", field: "description", length: FieldLimits.description, into: &errors) ?? ""
            }
            try errors.throwIfAny()
            if project.isArchived && patch.isArchived != .set(false) { throw DomainError.conflict(.projectArchived) }
            let before = project
            project.name = name.applied(to: project.name)
            project.description = description.applied(to: project.description)
            project.visibility = patch.visibility.applied(to: project.visibility)
            project.isArchived = patch.isArchived.applied(to: project.isArchived)
            guard project != before else { return project }
            project.updatedAt = at
            project.version += 1
            try await tx.updateProject(
                project,
                recording: [
                    EventRecords(ids: ids, actorID: caller.id, at: at).project(
                        .projectUpdated, project, changes: EventRecords.projectChanges(from: before, to: project))
                ])
            return project
        }
    }

    /// Deletes a project with its tasks and their comments (project `admin`), recording `project_deleted` (and no
    /// event per task). The claim's user is read with the project's locked row.
    public func delete(_ claim: some CallerClaim, id: ProjectID, precondition: VersionPrecondition? = nil)
        async throws
    {
        let at = now()
        try await store.transaction { tx in
            // Locked first: a task is added to a project only under a share lock on it, so no task is added while
            // the project goes.
            let (project, role, caller) = try await tx.claimedProject(id, by: claim, locking: .update)
            guard AccessPolicy.canManageProject(role) else { throw DomainError.forbidden }
            try VersionPrecondition.check(precondition, currentTag: "\(project.version)")
            try await tx.appendEvents([
                EventRecords(ids: ids, actorID: caller.id, at: at).project(.projectDeleted, project)
            ])
            try await tx.deleteProject(project.id)
        }
    }

    private static let ordering = "projects"
}
