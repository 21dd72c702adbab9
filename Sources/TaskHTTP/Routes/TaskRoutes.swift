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
            Responses.task(try await services.tasks.task(try context.requireCaller(), id: try context.pathID("id", .task)))
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
            var query = QueryReader(request.uri.query)
            let page = query.page()
            try query.finish()
            let subtasks = try await services.tasks.subtasks(try context.requireCaller(), of: id, page: page ?? .first)
            return Responses.taskPage(subtasks)
        }
        authenticated(.get, "/api/v1/tasks/{id}/comments") { request, context in
            let id: TaskID = try context.pathID("id", .task)
            var query = QueryReader(request.uri.query)
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
            var query = QueryReader(request.uri.query)
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

/// The task handlers shared by the `/api/v1` routes and the compatibility routes.
enum TaskBodies {
    static func newTask(_ request: Request, _ context: TaskRequestContext) async throws -> NewTask {
        try TaskRequests.newTask(try await JSONBody.read(request, context: context))
    }

    static func expectedVersion(_ request: Request) -> Int? {
        TaskRequests.expectedVersion(ifMatch: request.headers[.ifMatch])
    }

    static func update(
        _ request: Request, _ context: TaskRequestContext, services: TaskdServices, replacing: Bool
    ) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        let patch = try TaskRequests.patch(try await JSONBody.read(request, context: context), replacing: replacing)
        let task = try await services.tasks.update(
            try context.requireCaller(), id: id, patch, expectedVersion: expectedVersion(request))
        return Responses.task(task)
    }

    static func complete(_ request: Request, _ context: TaskRequestContext, services: TaskdServices) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        let completed = try TaskRequests.completion(try await JSONBody.read(request, context: context))
        let task = try await services.tasks.complete(
            try context.requireCaller(), id: id, completed: completed, expectedVersion: expectedVersion(request))
        return Responses.task(task)
    }

    static func delete(_ request: Request, _ context: TaskRequestContext, services: TaskdServices) async throws -> Response {
        try await services.tasks.delete(
            try context.requireCaller(), id: try context.pathID("id", .task), expectedVersion: expectedVersion(request))
        return Responses.noContent()
    }

    static func list(_ request: Request, _ context: TaskRequestContext, services: TaskdServices) async throws -> Response {
        let (filter, sort, page) = try TaskRequests.listQuery(request.uri.query)
        let tasks = try await services.tasks.tasks(try context.requireCaller(), matching: filter, sort: sort, page: page)
        return Responses.taskPage(tasks)
    }
}
