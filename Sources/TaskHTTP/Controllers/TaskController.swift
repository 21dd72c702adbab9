import Foundation
import Hummingbird
import TaskCore

/// `/api/v1/tasks/*`: tasks, their subtasks, comments and activity.
struct TaskController: Sendable {
    let tasks: TaskService
    let comments: CommentService
    let activity: ActivityService

    var routes: [Route] {
        [
            .claimed(.post, "/api/v1/tasks", create),
            .claimed(.get, "/api/v1/tasks", list),
            .claimed(.get, "/api/v1/tasks/{id}", read),
            .claimed(.patch, "/api/v1/tasks/{id}", change),
            .claimed(.put, "/api/v1/tasks/{id}", replace),
            .claimed(.patch, "/api/v1/tasks/{id}/complete", complete),
            .claimed(.delete, "/api/v1/tasks/{id}", delete),
            .claimed(.get, "/api/v1/tasks/{id}/subtasks", subtasks),
            .claimed(.get, "/api/v1/tasks/{id}/comments", listComments),
            .claimed(.post, "/api/v1/tasks/{id}/comments", addComment),
            .claimed(.get, "/api/v1/tasks/{id}/activity", listActivity),
        ]
    }

    func create(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let input = try TaskRequests.newTask(try await JSONBody.read(request, context: context.request))
        let task = try await tasks.create(context.claim, input)
        return Responses.task(task, status: .created, location: "/api/v1/tasks/\(task.id)")
    }

    /// The page of tasks the query asks for, with its validation errors named as query parameters.
    func list(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let (filter, sort, page) = try TaskRequests.listQuery(request.uri.query)
        do {
            return Responses.taskPage(try await tasks.tasks(context.claim, matching: filter, sort: sort, page: page))
        } catch DomainError.validation(let errors) {
            let named = errors.map {
                FieldError(field: TaskRequests.queryParameter(forFilterField: $0.field), message: $0.message)
            }
            throw DomainError.validation(named)
        }
    }

    func read(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        Responses.readTask(try await tasks.task(context.claim, id: try context.pathID("id", .task)), for: request)
    }

    func change(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try await update(request, context, replacing: false)
    }

    func replace(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try await update(request, context, replacing: true)
    }

    func complete(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        let body = try await JSONBody.read(request, context: context.request)
        let task = try await tasks.complete(context.claim, id: id, precondition: Preconditions.ifMatch(request)) {
            try TaskRequests.completion(body)
        }
        return Responses.task(task)
    }

    func delete(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try await tasks.delete(
            context.claim, id: try context.pathID("id", .task), precondition: Preconditions.ifMatch(request))
        return Responses.noContent()
    }

    func subtasks(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        return Responses.taskPage(
            try await tasks.subtasks(context.claim, of: id, page: try QueryReader.page(request.uri.query)))
    }

    func listComments(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        let list = try await comments.comments(context.claim, of: id, page: try QueryReader.page(request.uri.query))
        return try Responses.page(list, CommentDTO.init)
    }

    func addComment(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        let text = try CommentRequests.body(try await JSONBody.read(request, context: context.request))
        let comment = try await comments.add(context.claim, to: id, body: text)
        return try Responses.tagged(CommentDTO(comment), status: .created, location: "/api/v1/comments/\(comment.id)")
    }

    func listActivity(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        let events = try await activity.activity(context.claim, of: id, page: try QueryReader.page(request.uri.query))
        return try Responses.page(events, ActivityDTO.init)
    }

    private func update(_ request: Request, _ context: ClaimedContext, replacing: Bool) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        let body = try await JSONBody.read(request, context: context.request)
        let task = try await tasks.update(context.claim, id: id, precondition: Preconditions.ifMatch(request)) {
            try TaskRequests.patch(body, replacing: replacing)
        }
        return Responses.task(task)
    }
}
