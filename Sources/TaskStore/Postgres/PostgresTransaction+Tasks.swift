import Foundation
import PostgresNIO
import TaskCore

extension PostgresTransaction {
    func task(_ id: TaskID) async throws -> TaskItem? {
        try await rows(
            "SELECT \(unescaped: PostgresRows.taskColumns) FROM tasks t WHERE t.id = \(id.uuid)", PostgresRows.task
        ).first
    }

    func insertTask(_ task: TaskItem) async throws {
        try await execute(InsertTaskStatement(task: task))
    }

    func updateTask(_ task: TaskItem, expectedVersion: Int) async throws {
        let changed = try await changedRows(UpdateTaskStatement(task: task, expectedVersion: expectedVersion))
        guard changed == 0 else { return }
        try await throwVersionMismatch(of: task)
    }

    /// Updates the task and appends the events in one statement, which appends them only when the update was made.
    func updateTask(_ task: TaskItem, expectedVersion: Int, recording events: [ActivityEvent]) async throws {
        guard !events.isEmpty else { return try await updateTask(task, expectedVersion: expectedVersion) }
        let statement = UpdateTaskWithEventsStatement(
            write: UpdateTaskStatement(task: task, expectedVersion: expectedVersion),
            events: try insertStatement(for: events))
        guard let row = try await lockedRows(statement).first, row.updated else {
            return try await throwVersionMismatch(of: task)
        }
        noteRecorded(queued: [row.queuedDeliveries])
    }

    /// Throws what a failed conditional update of `task` means: `notFound` when it is gone, `versionMismatch`
    /// naming its version otherwise.
    private func throwVersionMismatch(of task: TaskItem) async throws {
        let current = try await rows("SELECT version FROM tasks WHERE id = \(task.id.uuid)") {
            try $0.decode(Int32.self)
        }
        guard let version = current.first else { throw DomainError.notFound(.task) }
        throw DomainError.versionMismatch(currentTag: "\(version)")
    }

    func deleteTasks(_ ids: [TaskID]) async throws {
        try await execute("DELETE FROM tasks WHERE id = ANY(\(ids.map(\.uuid)))")
    }

    func descendants(of id: TaskID, locking: Bool) async throws -> [TaskItem] {
        if locking { try await beginIfNeeded() }
        return try await rows(
            """
            WITH RECURSIVE tree (id, depth) AS (
                SELECT id, 1 FROM tasks WHERE parent_id = \(id.uuid)
                UNION ALL
                SELECT c.id, tree.depth + 1 FROM tasks c JOIN tree ON c.parent_id = tree.id
            )
            SELECT \(unescaped: PostgresRows.taskColumns) FROM tasks t JOIN tree ON tree.id = t.id ORDER BY tree.depth, t.id
            \(unescaped: locking ? "FOR UPDATE OF t" : "")
            """,
            PostgresRows.task)
    }

    func tasks(matching query: TaskQuery) async throws -> [TaskItem] {
        var builder = SQLBuilder(
            "SELECT \(PostgresRows.taskColumns) FROM tasks t LEFT JOIN projects p ON p.id = t.project_id WHERE ")
        builder.appendTaskVisibility(query.scope)
        builder.appendTaskFilters(query)
        builder.appendTaskOrder(query.sort, after: query.after)
        builder.append(" LIMIT \(builder.bind(min(query.limit, Int(Int32.max))))")
        return try await rows(builder.query, PostgresRows.task)
    }

    func tasks(assignedTo userID: UserID, in workspaceID: WorkspaceID) async throws -> [TaskItem] {
        try await lockedRows(
            """
            SELECT \(unescaped: PostgresRows.taskColumns) FROM tasks t
            WHERE t.assignee_id = \(userID.uuid) AND t.workspace_id = \(workspaceID.uuid) ORDER BY t.id FOR UPDATE
            """,
            PostgresRows.task)
    }
}

extension SQLBuilder {
    /// Appends the visibility of `VisibilityScope` for the task row `t` joined with its project `p`.
    mutating func appendTaskVisibility(_ scope: VisibilityScope) {
        if scope.isUnrestricted {
            append("TRUE")
            return
        }
        append("((t.project_id IS NOT NULL AND ")
        appendProjectVisibility(scope, projectAlias: "p")
        let admin = bind(scope.adminWorkspaces.map(\.uuid))
        let any = bind(scope.anyRoleWorkspaces.map(\.uuid))
        let user = bind(scope.userID.uuid)
        append(
            """
            ) OR (t.project_id IS NULL AND (t.workspace_id = ANY(\(admin)) \
            OR (t.workspace_id = ANY(\(any)) AND (t.owner_id = \(user) OR t.assignee_id = \(user))))))
            """)
    }

    /// Appends every filter of `TaskQuery.matchesFilters`.
    mutating func appendTaskFilters(_ query: TaskQuery) {
        if let id = query.workspaceID { append(" AND t.workspace_id = \(bind(id.uuid))") }
        if let id = query.projectID { append(" AND t.project_id = \(bind(id.uuid))") }
        if let id = query.parentID { append(" AND t.parent_id = \(bind(id.uuid))") }
        if let id = query.assigneeID { append(" AND t.assignee_id = \(bind(id.uuid))") }
        if let id = query.involvedUserID {
            let user = bind(id.uuid)
            append(" AND (t.owner_id = \(user) OR t.assignee_id = \(user))")
        }
        if let isCompleted = query.isCompleted {
            append(isCompleted ? " AND t.status = 'done'" : " AND t.status <> 'done'")
        }
        if let status = query.status { append(" AND t.status = \(bind(status.rawValue))") }
        if let priority = query.priority { append(" AND t.priority = \(bind(Int16(priority.severity)))") }
        if let tag = query.tag { append(" AND t.tags @> ARRAY[\(bind(tag))]::text[]") }
        if let dueBefore = query.dueBefore { append(" AND t.due_date < \(bind(dueBefore.bound))") }
        if let dueAfter = query.dueAfter { append(" AND t.due_date > \(bind(dueAfter.bound))") }
        for word in query.words {
            let pattern = bind("%" + Self.escapeLike(word) + "%")
            append(
                " AND (lower(t.title) LIKE \(pattern) ESCAPE '\\' OR lower(t.description) LIKE \(pattern) ESCAPE '\\')")
        }
    }

    /// Appends the keyset condition after `after` and the `ORDER BY` of `sort` (undated tasks last both ways).
    mutating func appendTaskOrder(_ sort: TaskSort, after: PagePosition?) {
        let direction = sort.isDescending ? "DESC" : "ASC"
        let comparison = sort.isDescending ? "<" : ">"
        let column: String
        switch sort.field {
        case .createdAt: column = "t.created_at"
        case .updatedAt: column = "t.updated_at"
        case .dueDate: column = "t.due_date"
        case .priority: column = "t.priority"
        }
        if let after {
            let id = bind(after.id)
            switch after.value {
            case .null:
                append(" AND t.due_date IS NULL AND t.id \(comparison) \(id)")
            case .date(let date):
                let value = bind(date.bound)
                let orNull = sort.field == .dueDate ? " OR t.due_date IS NULL" : ""
                append(" AND ((\(column), t.id) \(comparison) (\(value), \(id))\(orNull))")
            case .int(let number):
                append(" AND (\(column), t.id) \(comparison) (\(bind(Int16(clamping: number))), \(id))")
            }
        }
        let nullsLast = sort.field == .dueDate ? "(t.due_date IS NULL) ASC, " : ""
        append(" ORDER BY \(nullsLast)\(column) \(direction), t.id \(direction)")
    }

    /// Escapes `\`, `%` and `_` so that no character of a search word acts as a wildcard.
    static func escapeLike(_ word: String) -> String {
        word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}
