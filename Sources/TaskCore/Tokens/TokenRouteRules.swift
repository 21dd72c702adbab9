/// What a route asks of a personal access token.
public enum TokenRouteRule: Sendable, Equatable {
    /// The route needs no credential (registration, login, health).
    case open
    /// A token must hold this scope.
    case needs(TokenScope)
    /// No token reaches the route, whatever its scopes: only a caller who signed in (with an access token) does.
    case sessionOnly
}

/// The one table of which scope each route needs, decided from the route alone (method and path template), so that
/// the answer to a token without it never depends on whether a resource exists.
///
/// Every route of the API is listed; a route missing from the table is refused to every token, and a test walks
/// the routes of the OpenAPI document to check that none is missing.
public enum TokenRouteRules {
    /// The rule of the route `method path` (`"GET"`, `"/api/v1/tasks/{id}"`); `.sessionOnly` for a route the table
    /// does not list.
    public static func rule(method: String, path: String) -> TokenRouteRule {
        table[method.uppercased() + " " + path] ?? .sessionOnly
    }

    /// Every route as `"METHOD /path/{parameter}"` and its rule.
    public static let table: [String: TokenRouteRule] = {
        var table: [String: TokenRouteRule] = [:]
        for (rule, routes) in groups {
            for route in routes { table[route] = rule }
        }
        return table
    }()

    private static let groups: [(TokenRouteRule, [String])] = [
        (
            .open,
            [
                "GET /", "GET /health", "GET /health/ready", "GET /metrics", "GET /openapi.yaml", "GET /docs",
                "POST /api/v1/auth/register", "POST /api/v1/auth/signup", "POST /api/v1/auth/login",
                "POST /api/v1/auth/refresh",
            ]
        ),
        (
            // Sessions, the account's secrets, tokens themselves and administration.
            .sessionOnly,
            [
                "POST /api/v1/auth/logout", "PATCH /api/v1/users/me", "POST /api/v1/users/me/password",
                "POST /api/v1/users/me/tokens", "GET /api/v1/users/me/tokens", "GET /api/v1/users/me/tokens/{id}",
                "DELETE /api/v1/users/me/tokens/{id}", "GET /api/v1/users", "GET /api/v1/users/{id}",
                "PATCH /api/v1/users/{id}", "DELETE /api/v1/users/{id}", "GET /api/v1/users/{id}/tokens",
                "DELETE /api/v1/users/{id}/tokens/{token_id}",
            ]
        ),
        (
            .needs(.read),
            [
                "GET /api/v1/users/me", "GET /api/v1/workspaces", "GET /api/v1/workspaces/{id}",
                "GET /api/v1/workspaces/{id}/members", "GET /api/v1/workspaces/{id}/members/{user_id}",
                "GET /api/v1/workspaces/{id}/events", "GET /api/v1/projects", "GET /api/v1/projects/{id}",
                "GET /api/v1/projects/{id}/members", "GET /api/v1/projects/{id}/members/{user_id}",
                "GET /api/v1/projects/{id}/events", "GET /api/v1/tasks", "GET /api/v1/tasks/{id}",
                "GET /api/v1/tasks/{id}/subtasks", "GET /api/v1/tasks/{id}/comments", "GET /api/v1/tasks/{id}/activity",
                "GET /api/v1/comments/{id}", "GET /api/v1/workspaces/{id}/webhooks",
                "GET /api/v1/workspaces/{id}/webhooks/{webhook_id}",
                "GET /api/v1/workspaces/{id}/webhooks/{webhook_id}/deliveries",
                "GET /api/v1/workspaces/{id}/webhooks/{webhook_id}/deliveries/{delivery_id}",
                "GET /api/{user_id}/tasks", "GET /api/{user_id}/tasks/{id}",
            ]
        ),
        (
            .needs(.tasksWrite),
            [
                "POST /api/v1/tasks", "PATCH /api/v1/tasks/{id}", "PUT /api/v1/tasks/{id}", "DELETE /api/v1/tasks/{id}",
                "PATCH /api/v1/tasks/{id}/complete", "POST /api/v1/tasks/{id}/comments", "PATCH /api/v1/comments/{id}",
                "DELETE /api/v1/comments/{id}", "POST /api/{user_id}/tasks", "PATCH /api/{user_id}/tasks/{id}",
                "PUT /api/{user_id}/tasks/{id}", "DELETE /api/{user_id}/tasks/{id}",
                "PATCH /api/{user_id}/tasks/{id}/complete",
            ]
        ),
        (
            .needs(.projectsWrite),
            [
                "POST /api/v1/projects", "PATCH /api/v1/projects/{id}", "DELETE /api/v1/projects/{id}",
                "POST /api/v1/projects/{id}/members", "PATCH /api/v1/projects/{id}/members/{user_id}",
                "DELETE /api/v1/projects/{id}/members/{user_id}",
            ]
        ),
        (
            .needs(.workspacesWrite),
            [
                "POST /api/v1/workspaces", "PATCH /api/v1/workspaces/{id}", "DELETE /api/v1/workspaces/{id}",
                "POST /api/v1/workspaces/{id}/members", "PATCH /api/v1/workspaces/{id}/members/{user_id}",
                "DELETE /api/v1/workspaces/{id}/members/{user_id}",
            ]
        ),
        (
            .needs(.webhooksWrite),
            [
                "POST /api/v1/workspaces/{id}/webhooks", "PATCH /api/v1/workspaces/{id}/webhooks/{webhook_id}",
                "DELETE /api/v1/workspaces/{id}/webhooks/{webhook_id}",
                "POST /api/v1/workspaces/{id}/webhooks/{webhook_id}/rotate-secret",
                "POST /api/v1/workspaces/{id}/webhooks/{webhook_id}/ping",
                "POST /api/v1/workspaces/{id}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
            ]
        ),
    ]
}
