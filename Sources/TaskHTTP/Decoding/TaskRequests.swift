import Foundation
import TaskCore

/// Reads the task bodies and the task list query into TaskCore's inputs. Free of HTTP types, so that the fuzz
/// harness drives exactly the code the routes run.
enum TaskRequests {
    /// The body of `POST /api/v1/tasks`.
    /// - Throws: `DomainError.validation` naming every bad field at once: wrong types, unknown choices and the
    ///   text rules of TaskCore.
    static func newTask(_ body: JSONBody) throws -> NewTask {
        var body = body
        let title = body.required("title", body.string("title"))
        let description = body.optional(body.string("description"))
        let tags = body.optional(body.strings("tags"))
        let projectID = body.optional(body.id("project_id", as: IDKind.Project.self))
        let workspaceID = body.optional(body.id("workspace_id", as: IDKind.Workspace.self))
        let parentID = body.optional(body.id("parent_id", as: IDKind.Task.self))
        let assigneeID = body.optional(body.id("assignee_id", as: IDKind.User.self))
        let status = body.optional(body.choice("status", as: TaskStatus.self))
        let priority = body.optional(body.choice("priority", as: TaskPriority.self))
        let dueDate = body.optional(body.date("due_date"))
        let startDate = body.optional(body.date("start_date"))
        guard let title, body.isValid else {
            throw body.failure(alongWith: NewTask.fieldErrors(title: title, description: description, tags: tags))
        }
        return NewTask(
            title: title, description: description, projectID: projectID, workspaceID: workspaceID, parentID: parentID,
            assigneeID: assigneeID, status: status, priority: priority, dueDate: dueDate, startDate: startDate,
            tags: tags)
    }

    /// The body of `PATCH` (partial) or `PUT` (`replacing`) `/api/v1/tasks/{id}`.
    /// - Throws: `DomainError.validation` naming every bad field at once.
    static func patch(_ body: JSONBody, replacing: Bool) throws -> TaskPatch {
        var body = body
        if replacing {
            let title = body.required("title", body.string("title"))
            let description = body.optional(body.string("description"))
            let tags = body.optional(body.strings("tags"))
            let status = body.optional(body.choice("status", as: TaskStatus.self))
            let priority = body.optional(body.choice("priority", as: TaskPriority.self))
            let assigneeID = body.optional(body.id("assignee_id", as: IDKind.User.self))
            let dueDate = body.optional(body.date("due_date"))
            let startDate = body.optional(body.date("start_date"))
            let projectID = body.id("project_id", as: IDKind.Project.self)
            guard let title, body.isValid else {
                throw body.failure(alongWith: NewTask.fieldErrors(title: title, description: description, tags: tags))
            }
            return TaskPatch.replacing(
                title: title, description: description, status: status, priority: priority, assigneeID: assigneeID,
                dueDate: dueDate, startDate: startDate, tags: tags, projectID: projectID)
        }
        let patch = TaskPatch(
            title: body.string("title"), description: body.string("description"), status: body.choice("status"),
            isCompleted: body.bool("completed"), priority: body.choice("priority"), assigneeID: body.id("assignee_id"),
            dueDate: body.date("due_date"), startDate: body.date("start_date"), tags: body.strings("tags"),
            projectID: body.id("project_id"))
        try body.finish(alongWith: patch.fieldErrors)
        return patch
    }

    /// The body of `PATCH /api/v1/tasks/{id}/complete`: `completed`, `true` when left out.
    static func completion(_ body: JSONBody) throws -> Bool {
        var body = body
        let completed = body.nonNull("completed", body.bool("completed"))
        try body.finish()
        return body.value(completed) ?? true
    }

    /// The filters, ordering and page of `GET /api/v1/tasks`.
    /// - Throws: `DomainError.validation` naming every bad parameter at once.
    static func listQuery(_ rawQuery: String?) throws -> (filter: TaskFilter, sort: TaskSort, page: PageRequest) {
        var query = QueryReader(rawQuery)
        var filter = TaskFilter(
            workspaceID: query.id("workspace_id"), projectID: query.id("project_id"), parentID: query.id("parent_id"),
            isCompleted: query.bool("completed"), status: query.choice("status"), priority: query.choice("priority"),
            tag: query.string("tag"), dueBefore: query.date("due_before"), dueAfter: query.date("due_after"),
            text: query.string("q"))
        if let assignee = query.string("assignee_id") {
            if assignee == "me" {
                filter.assignee = .me
            } else if let id = UserID(assignee) {
                filter.assignee = .user(id)
            } else {
                query.add(FieldError(field: "assignee_id", message: "must be a UUID or me"))
            }
        }
        var sort = TaskSort.default
        if let text = query.string("sort") {
            do {
                sort = try TaskSort(parsing: text)
            } catch DomainError.validation(let errors) {
                for error in errors { query.add(error) }
            }
        }
        let page = query.page()
        try query.finish()
        return (filter, sort, page ?? .first)
    }

    /// The query parameter a `TaskFilter` field is read from, for the faults the list use case reports by field.
    static func queryParameter(forFilterField field: String) -> String {
        switch field {
        case "text": "q"
        default: field
        }
    }
}
