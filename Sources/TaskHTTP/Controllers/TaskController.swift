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
            .authenticated(.post, "/api/v1/tasks", create),
            .claimed(.get, "/api/v1/tasks", list),
            .claimed(.get, "/api/v1/tasks/{id}", read),
            .authenticated(.patch, "/api/v1/tasks/{id}", change),
            .authenticated(.put, "/api/v1/tasks/{id}", replace),
            .authenticated(.patch, "/api/v1/tasks/{id}/complete", complete),
            .authenticated(.delete, "/api/v1/tasks/{id}", delete),
            .authenticated(.get, "/api/v1/tasks/{id}/subtasks", subtasks),
            .authenticated(.get, "/api/v1/tasks/{id}/comments", listComments),
            .authenticated(.post, "/api/v1/tasks/{id}/comments", addComment),
            .authenticated(.get, "/api/v1/tasks/{id}/activity", listActivity),
        ]
    }

    func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let input = try TaskRequests.newTask(try await JSONBody.read(request, context: context.request))
        let task = try await tasks.create(context.caller, input)
        return Responses.task(task, status: .created, location: "/api/v1/tasks/\(task.id)")
    }

    /// With an access token, the token's user is checked in the same read as the filter's project; a refused
    /// token is 401 before anything about the query.
    func list(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let query: (TaskFilter, TaskSort, PageRequest)
        do {
            query = try TaskRequests.listQuery(request.uri.query)
        } catch {
            _ = try await context.caller()
            throw error
        }
        switch context.identity {
        case .accessToken(let token):
            return try await list(query) { try await tasks.tasks(token, matching: $0, sort: $1, page: $2) }
        case .caller(let caller):
            return try await list(query) { try await tasks.tasks(caller, matching: $0, sort: $1, page: $2) }
        }
    }

    /// `list` for a caller already authenticated (the compatibility routes, which check the caller first).
    func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await list(try TaskRequests.listQuery(request.uri.query)) {
            try await tasks.tasks(context.caller, matching: $0, sort: $1, page: $2)
        }
    }

    /// The page `listing` gives for the parsed query, with its validation errors named as query parameters.
    private func list(
        _ query: (TaskFilter, TaskSort, PageRequest),
        _ listing: (TaskFilter, TaskSort, PageRequest) async throws -> Page<TaskItem>
    ) async throws -> Response {
        let (filter, sort, page) = query
        do {
            return Responses.taskPage(try await listing(filter, sort, page))
        } catch DomainError.validation(let errors) {
            let named = errors.map {
                FieldError(field: TaskRequests.queryParameter(forFilterField: $0.field), message: $0.message)
            }
            throw DomainError.validation(named)
        }
    }

    /// With an access token, the token's user is checked in the same read as the task.
    func read(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        guard let id: TaskID = try? context.request.pathID("id", .task) else {
            _ = try await context.caller()
            throw DomainError.notFound(.task)
        }
        let task =
            switch context.identity {
            case .accessToken(let token): try await tasks.task(token, id: id)
            case .caller(let caller): try await tasks.task(caller, id: id)
            }
        return Responses.readTask(task, for: request)
    }

    /// `read` for a caller already authenticated (the compatibility routes, which check the caller first).
    func read(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        Responses.readTask(try await tasks.task(context.caller, id: try context.pathID("id", .task)), for: request)
    }

    func change(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await update(request, context, replacing: false)
    }

    func replace(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await update(request, context, replacing: true)
    }

    func complete(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        let body = try await JSONBody.read(request, context: context.request)
        let task = try await tasks.complete(context.caller, id: id, precondition: Preconditions.ifMatch(request)) {
            try TaskRequests.completion(body)
        }
        return Responses.task(task)
    }

    func delete(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await tasks.delete(
            context.caller, id: try context.pathID("id", .task), precondition: Preconditions.ifMatch(request))
        return Responses.noContent()
    }

    func subtasks(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        return Responses.taskPage(
            try await tasks.subtasks(context.caller, of: id, page: try QueryReader.page(request.uri.query)))
    }

    func listComments(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        let list = try await comments.comments(context.caller, of: id, page: try QueryReader.page(request.uri.query))
        return try Responses.page(list, CommentDTO.init)
    }

    func addComment(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        let text = try CommentRequests.body(try await JSONBody.read(request, context: context.request))
        let comment = try await comments.add(context.caller, to: id, body: text)
        return try Responses.tagged(CommentDTO(comment), status: .created, location: "/api/v1/comments/\(comment.id)")
    }

    func listActivity(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        let events = try await activity.activity(context.caller, of: id, page: try QueryReader.page(request.uri.query))
        return try Responses.page(events, ActivityDTO.init)
    }

    private func update(_ request: Request, _ context: AuthenticatedContext, replacing: Bool) async throws -> Response {
        let id: TaskID = try context.pathID("id", .task)
        let body = try await JSONBody.read(request, context: context.request)
        let task = try await tasks.update(context.caller, id: id, precondition: Preconditions.ifMatch(request)) {
            try TaskRequests.patch(body, replacing: replacing)
        }
        return Responses.task(task)
    }
}
