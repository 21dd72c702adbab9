import Foundation
import Hummingbird
import TaskCore

/// `/api/v1/tasks/*`: tasks, their subtasks, comments and activity.
extension RouteBuilder {
    mutating func addTaskRoutes(_ services: TaskdServices) {
        authenticated(.post, "/api/v1/tasks") { request, context in
            let task = try await services.tasks.create(try context.requireCaller(), try await TaskBodies.newTask(request, context))
            return Responses.task(task, status: .created, location: "/api/v1/tasks/\(task.id)")
        }
        authenticated(.get, "/api/v1/tasks") { request, context in
            try await TaskBodies.list(request, context, services: services)
        }
        authenticated(.get, "/api/v1/tasks/{id}") { _, context in
            try Responses.task(try await services.tasks.task(try context.requireCaller(), id: try context.pathID("id", .task)))
        }
        authenticated(.patch, "/api/v1/tasks/{id}") { request, context in
            try await TaskBodies.update(request, context, services: services, replacing: false)
        }
        authenticated(.put, "/api/v1/tasks/{id}") { request, context in
            try await TaskBodies.update(request, context, services: services, replacing: true)
        }
        authenticated(.patch, "/api/v1/tasks/{id}/complete") { request, context in
            try await TaskBodies.complete(request, context, services: services)
        }
        authenticated(.delete, "/api/v1/tasks/{id}") { request, context in
            try await TaskBodies.delete(request, context, services: services)
        }
        authenticated(.get, "/api/v1/tasks/{id}/subtasks") { request, context in
            let id: TaskID = try context.pathID("id", .task)
            var query = QueryReader(request)
            let page = query.page()
            try query.finish()
            let subtasks = try await services.tasks.subtasks(try context.requireCaller(), of: id, page: page ?? .first)
            return Responses.taskPage(subtasks)
        }
        authenticated(.get, "/api/v1/tasks/{id}/comments") { request, context in
            let id: TaskID = try context.pathID("id", .task)
            var query = QueryReader(request)
            let page = query.page()
            try query.finish()
            let comments = try await services.comments.comments(try context.requireCaller(), of: id, page: page ?? .first)
            return try Responses.page(comments, CommentDTO.init)
        }
        authenticated(.post, "/api/v1/tasks/{id}/comments") { request, context in
            let id: TaskID = try context.pathID("id", .task)
            var body = try await JSONBody.read(request, context: context)
            let text = body.requiredString("body")
            try body.finish()
            let comment = try await services.comments.add(try context.requireCaller(), to: id, body: text)
            return try Responses.created(CommentDTO(comment), location: "/api/v1/comments/\(comment.id)")
        }
        authenticated(.get, "/api/v1/tasks/{id}/activity") { request, context in
            let id: TaskID = try context.pathID("id", .task)
            var query = QueryReader(request)
            let page = query.page()
            try query.finish()
            let events = try await services.activity.activity(try context.requireCaller(), of: id, page: page ?? .first)
            return try Responses.page(events, ActivityDTO.init)
        }
    }

    mutating func addCommentRoutes(_ services: TaskdServices) {
        authenticated(.get, "/api/v1/comments/{id}") { _, context in
            try Responses.json(CommentDTO(try await services.comments.comment(try context.requireCaller(), id: try context.pathID("id", .comment))))
        }
        authenticated(.patch, "/api/v1/comments/{id}") { request, context in
            let id: CommentID = try context.pathID("id", .comment)
            var body = try await JSONBody.read(request, context: context)
            let text = body.requiredString("body")
            try body.finish()
            return try Responses.json(CommentDTO(try await services.comments.edit(try context.requireCaller(), id: id, body: text)))
        }
        authenticated(.delete, "/api/v1/comments/{id}") { _, context in
            try await services.comments.delete(try context.requireCaller(), id: try context.pathID("id", .comment))
            return Responses.noContent()
        }
    }
}

/// Reading task bodies and queries, shared by the `/api/v1` routes and the compatibility routes.
enum TaskBodies {
    static func newTask(_ request: Request, _ context: TaskRequestContext) async throws -> NewTask {
        var body = try await JSONBody.read(request, context: context)
        let title = body.requiredString("title")
        let input = NewTask(
            title: title, description: body.optional(body.string("description")),
            projectID: body.optional(body.id("project_id")), workspaceID: body.optional(body.id("workspace_id")),
            parentID: body.optional(body.id("parent_id")), assigneeID: body.optional(body.id("assignee_id")),
            status: body.optional(body.choice("status")), priority: body.optional(body.choice("priority")),
            dueDate: body.optional(body.date("due_date")), startDate: body.optional(body.date("start_date")),
            tags: body.optional(body.strings("tags")))
        try body.finish()
        return input
    }

    static func patch(_ request: Request, _ context: TaskRequestContext, replacing: Bool) async throws -> TaskPatch {
        var body = try await JSONBody.read(request, context: context)
        let patch: TaskPatch
        if replacing {
            let title = body.requiredString("title")
            patch = TaskPatch.replacing(
                title: title, description: body.optional(body.string("description")),
                status: body.optional(body.choice("status")), priority: body.optional(body.choice("priority")),
                assigneeID: body.optional(body.id("assignee_id")), dueDate: body.optional(body.date("due_date")),
                startDate: body.optional(body.date("start_date")), tags: body.optional(body.strings("tags")),
                projectID: body.id("project_id"))
        } else {
            patch = TaskPatch(
                title: body.string("title"), description: body.string("description"), status: body.choice("status"),
                isCompleted: body.bool("completed"), priority: body.choice("priority"), assigneeID: body.id("assignee_id"),
                dueDate: body.date("due_date"), startDate: body.date("start_date"), tags: body.strings("tags"),
                projectID: body.id("project_id"))
        }
        try body.finish()
        return patch
    }

    /// The version `If-Match` names: `nil` without the header or for `*`; a value that is no version never matches.
    static func expectedVersion(_ request: Request) -> Int? {
        guard var text = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces), text != "*" else { return nil }
        if text.hasPrefix("W/") { text.removeFirst(2) }
        return Int(text.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) ?? -1
    }

    static func update(
        _ request: Request, _ context: TaskRequestContext, services: TaskdServices, replacing: Bool
    ) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        let patch = try await patch(request, context, replacing: replacing)
        let task = try await services.tasks.update(
            try context.requireCaller(), id: id, patch, expectedVersion: expectedVersion(request))
        return Responses.task(task)
    }

    static func complete(_ request: Request, _ context: TaskRequestContext, services: TaskdServices) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        var body = try await JSONBody.read(request, context: context)
        let completed = body.nonNull("completed", body.bool("completed"))
        try body.finish()
        let task = try await services.tasks.complete(
            try context.requireCaller(), id: id, completed: body.value(completed) ?? true,
            expectedVersion: expectedVersion(request))
        return Responses.task(task)
    }

    static func delete(_ request: Request, _ context: TaskRequestContext, services: TaskdServices) async throws -> Response {
        try await services.tasks.delete(
            try context.requireCaller(), id: try context.pathID("id", .task), expectedVersion: expectedVersion(request))
        return Responses.noContent()
    }

    static func list(_ request: Request, _ context: TaskRequestContext, services: TaskdServices) async throws -> Response {
        var query = QueryReader(request)
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
                _ = query.id("assignee_id", as: IDKind.User.self)
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
        let tasks = try await services.tasks.tasks(try context.requireCaller(), matching: filter, sort: sort, page: page ?? .first)
        return Responses.taskPage(tasks)
    }
}
