import Hummingbird
import TaskCore

/// `/api/{user_id}/tasks...`: the older URL scheme. Each behaves like its `/api/v1/tasks` twin for the caller's
/// own tasks, and answers 403 when `{user_id}` is not the caller.
extension RouteBuilder {
    mutating func addCompatibilityRoutes(_ services: TaskdServices) {
        authenticated(.get, "/api/{user_id}/tasks") { request, context in
            try Self.requireSelf(context)
            return try await TaskBodies.list(request, context, services: services)
        }
        authenticated(.post, "/api/{user_id}/tasks") { request, context in
            try Self.requireSelf(context)
            let task = try await services.tasks.create(try context.requireCaller(), try await TaskBodies.newTask(request, context))
            return Responses.task(task, status: .created, location: "/api/v1/tasks/\(task.id)")
        }
        authenticated(.get, "/api/{user_id}/tasks/{id}") { _, context in
            try Self.requireSelf(context)
            return Responses.task(try await services.tasks.task(try context.requireCaller(), id: try context.pathID("id", .task)))
        }
        authenticated(.patch, "/api/{user_id}/tasks/{id}") { request, context in
            try Self.requireSelf(context)
            return try await TaskBodies.update(request, context, services: services, replacing: false)
        }
        authenticated(.put, "/api/{user_id}/tasks/{id}") { request, context in
            try Self.requireSelf(context)
            return try await TaskBodies.update(request, context, services: services, replacing: true)
        }
        authenticated(.delete, "/api/{user_id}/tasks/{id}") { request, context in
            try Self.requireSelf(context)
            return try await TaskBodies.delete(request, context, services: services)
        }
        authenticated(.patch, "/api/{user_id}/tasks/{id}/complete") { request, context in
            try Self.requireSelf(context)
            return try await TaskBodies.complete(request, context, services: services)
        }
    }

    /// Throws `.notFound(.user)` for a `{user_id}` that is not a UUID and `.forbidden` for another user's.
    static func requireSelf(_ context: TaskRequestContext) throws {
        let userID: UserID = try context.pathID("user_id", .user)
        guard userID == (try context.requireCaller()).id else { throw DomainError.forbidden }
    }
}
