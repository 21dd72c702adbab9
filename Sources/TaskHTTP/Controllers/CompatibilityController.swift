import Hummingbird
import TaskCore

/// `/api/{user_id}/tasks...`: the older URL scheme. Each route is its `/api/v1/tasks` twin, for the caller's own
/// tasks only (`AccessPolicy.canUseCompatibilityRoutes`): another user's id is 403, an id that is no UUID 404.
struct CompatibilityController: Sendable {
    let tasks: TaskController

    var routes: [Route] {
        [
            .authenticated(.get, "/api/{user_id}/tasks", ownOnly(tasks.list)),
            .authenticated(.post, "/api/{user_id}/tasks", ownOnly(tasks.create)),
            .authenticated(.get, "/api/{user_id}/tasks/{id}", ownOnly(tasks.read)),
            .authenticated(.patch, "/api/{user_id}/tasks/{id}", ownOnly(tasks.change)),
            .authenticated(.put, "/api/{user_id}/tasks/{id}", ownOnly(tasks.replace)),
            .authenticated(.delete, "/api/{user_id}/tasks/{id}", ownOnly(tasks.delete)),
            .authenticated(.patch, "/api/{user_id}/tasks/{id}/complete", ownOnly(tasks.complete)),
        ]
    }

    /// `handler`, behind the check that `{user_id}` is the caller, who is checked before it runs.
    func ownOnly(_ handler: @escaping Route.ClaimHandler) -> Route.CallerHandler {
        { request, context in
            let userID: UserID = try context.pathID("user_id", .user)
            guard AccessPolicy.canUseCompatibilityRoutes(of: userID, caller: context.caller) else {
                throw DomainError.forbidden
            }
            return try await handler(request, ClaimedContext(context))
        }
    }
}
