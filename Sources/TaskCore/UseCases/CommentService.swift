import Foundation

/// Comments on tasks.
public struct CommentService: Sendable {
    let store: any DataStore
    let now: Now
    let ids: any IDGenerator

    /// Creates the service.
    public init(store: any DataStore, now: @escaping Now, ids: any IDGenerator) {
        self.store = store
        self.now = now
        self.ids = ids
    }

    /// A task's comments, oldest first (whoever can see the task). - Throws: `.notFound(.task)`.
    public func comments(_ claim: some CallerClaim, of taskID: TaskID, page: PageRequest) async throws -> Page<Comment>
    {
        let after = try PageCursor.position(from: page.cursor, ordering: Self.ordering)
        let rows = try await store.transaction { tx in
            _ = try await tx.claimedTask(taskID, by: claim)
            return try await tx.comments(of: taskID, after: after, limit: page.limit + 1)
        }
        return Page.from(rows: rows, limit: page.limit, ordering: Self.ordering) {
            PagePosition(value: .date($0.createdAt), id: $0.id.uuid)
        }
    }

    /// Adds a comment (project `commenter`+, or anyone who can see a task without a project) and records
    /// `comment_added`. - Throws: `.notFound(.task)`, `.forbidden`, `.conflict(.projectArchived)`, `.validation`.
    public func add(_ claim: some CallerClaim, to taskID: TaskID, body: String) async throws -> Comment {
        let body = try TextRules.trimmed(body, field: "body", length: FieldLimits.commentBody)
        let at = now()
        return try await store.transaction { tx in
            let (visible, caller) = try await tx.claimedTask(taskID, by: claim, locking: .share)
            guard visible.permissions.canComment else { throw DomainError.forbidden }
            try visible.project?.requireWritable()
            let comment = Comment(
                id: ids.make(), taskID: taskID, workspaceID: visible.task.workspaceID, authorID: caller.id, body: body,
                createdAt: at, updatedAt: at)
            try await tx.insertComment(
                comment, recording: [event(.commentAdded, for: comment, on: visible.task, by: caller, at: at)])
            return comment
        }
    }

    /// One comment of a task the caller can see. - Throws: `.notFound(.comment)`.
    public func comment(_ claim: some CallerClaim, id: CommentID) async throws -> Comment {
        try await store.transaction { tx in try await tx.visibleComment(id, by: claim).comment }
    }

    /// Changes a comment's body (its author only) and records `comment_edited`; the same body changes nothing.
    /// - Throws: `.notFound(.comment)`, `.forbidden`, `.conflict(.projectArchived)`, `.validation`.
    public func edit(_ claim: some CallerClaim, id: CommentID, body: String) async throws -> Comment {
        try await edit(claim, id: id, precondition: nil) { body }
    }

    /// `edit`, checking the client's `If-Match` after visibility (404) and permission (403) and before reading the
    /// new body (`input`, 422).
    public func edit(
        _ claim: some CallerClaim, id: CommentID, precondition: VersionPrecondition?,
        _ input: @escaping @Sendable () throws -> String
    ) async throws -> Comment {
        let at = now()
        return try await store.transaction { tx in
            let (comment, task, caller) = try await tx.visibleComment(id, by: claim, locking: true)
            guard AccessPolicy.canEditComment(comment, caller: caller.id) else { throw DomainError.forbidden }
            try VersionPrecondition.check(precondition, currentTag: "\(comment.version)")
            let body = try TextRules.trimmed(try input(), field: "body", length: FieldLimits.commentBody)
            try task.project?.requireWritable()
            guard comment.body != body else { return comment }
            var edited = comment
            edited.body = body
            edited.updatedAt = at
            edited.isEdited = true
            edited.version += 1
            try await tx.updateComment(
                edited, recording: [event(.commentEdited, for: edited, on: task.task, by: caller, at: at)])
            return edited
        }
    }

    /// Deletes a comment (its author, or a project `admin`) and records `comment_deleted`.
    /// - Throws: `.notFound(.comment)`, `.forbidden`, `.conflict(.projectArchived)`.
    public func delete(_ claim: some CallerClaim, id: CommentID, precondition: VersionPrecondition? = nil) async throws
    {
        let at = now()
        try await store.transaction { tx in
            let (comment, task, caller) = try await tx.visibleComment(id, by: claim, locking: true)
            guard AccessPolicy.canDeleteComment(comment, caller: caller.id, on: task.permissions) else {
                throw DomainError.forbidden
            }
            try VersionPrecondition.check(precondition, currentTag: "\(comment.version)")
            try task.project?.requireWritable()
            try await tx.deleteComment(id)
            try await tx.appendEvents([event(.commentDeleted, for: comment, on: task.task, by: caller, at: at)])
        }
    }

    private func event(
        _ kind: ActivityEventKind, for comment: Comment, on task: TaskItem, by caller: Caller, at: Date
    ) -> ActivityEvent {
        ActivityEvent(
            id: ids.make(), taskID: comment.taskID, workspaceID: comment.workspaceID, projectID: task.projectID,
            actorID: caller.id, kind: kind, at: at, changes: .comment(comment.id))
    }

    private static let ordering = "comments"
}

extension StoreTransaction {
    /// The comment, its task and the caller `claim` stands for, whose user is read with the comment and the task's
    /// facts; with `locking`, the comment is locked for a change until the transaction ends.
    /// - Throws: `.notFound(.comment)` unless the caller can see the task; `.unauthenticated` when the claim's
    ///   user may not use the credential (when there is a comment to read its task).
    func visibleComment(_ id: CommentID, by claim: some CallerClaim, locking: Bool = false) async throws -> (
        comment: Comment, task: VisibleTask, caller: Caller
    ) {
        guard claim.checkedCaller == nil else {
            let found = locking ? try await lockComment(id) : try await comment(id)
            guard let comment = found,
                let (task, caller) = try await notFoundAsNil({ try await claimedTask(comment.taskID, by: claim) })
            else { throw DomainError.notFound(.comment) }
            return (comment, task, caller)
        }
        // The claim's user, the comment and its task's facts in one read (one statement on PostgreSQL).
        let found =
            locking
            ? try await commentAccess(id, claimedBy: claim.identity, locking: .update)
            : try await commentAccess(id, claimedBy: claim.identity)
        let caller = try found.caller(for: claim)
        guard let facts = found.facts, let task = try? VisibleTask(facts.task, for: caller) else {
            throw DomainError.notFound(.comment)
        }
        return (facts.comment, task, caller)
    }
}
