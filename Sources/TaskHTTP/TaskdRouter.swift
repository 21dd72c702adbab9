import Hummingbird
import Logging
import TaskCore

/// Builds the router of the whole API over the given use cases. `taskd` and the tests build it the same way.
///
/// - Returns: the router and the table of its routes, both made from the controllers' own route lists.
public func buildRouter(
    services: TaskdServices, configuration: HTTPConfiguration = HTTPConfiguration(),
    metrics: HTTPMetrics = HTTPMetrics()
) -> (router: Router<TaskRequestContext>, routes: RouteTable) {
    let authenticator = Authenticator(
        tokens: services.accessTokens, sessions: services.sessions, personalTokens: services.personalTokens)
    let tasks = TaskController(tasks: services.tasks, comments: services.comments, activity: services.activity)
    let routes: [Route] =
        ServiceController(
            store: services.store, events: services.events, configuration: configuration, metrics: metrics,
            load: services.requestLoad
        ).routes
        + AuthController(
            accounts: services.accounts, sessions: services.sessions, trustedProxies: configuration.trustedProxies
        ).routes
        + UserController(accounts: services.accounts, admin: services.admin).routes
        + WorkspaceController(workspaces: services.workspaces).routes
        + ProjectController(projects: services.projects, members: services.projectMembers).routes
        + tasks.routes
        + CommentController(comments: services.comments).routes
        + EventController(events: services.events, authenticator: authenticator).routes
        + WebhookController(webhooks: services.webhooks).routes
        + PersonalTokenController(personalTokens: services.personalTokens).routes
        + CompatibilityController(tasks: tasks).routes
    let table = RouteTable(entries: routes.map { RouteTable.Entry(method: $0.method, path: $0.path) })

    let router = Router(context: TaskRequestContext.self)
    router.add(middleware: RequestLogMiddleware(metrics: metrics))
    router.add(middleware: RequestLoadMiddleware(load: services.requestLoad))
    router.add(middleware: CORSPolicyMiddleware(allowedOrigins: configuration.allowedOrigins))
    router.add(middleware: CacheHeadersMiddleware())
    router.add(middleware: ProblemMiddleware(routes: table))
    let retries = IdempotentRetries(service: services.idempotency)
    let lease = SharedLease(store: services.store)
    for route in routes {
        let sharesLease = SharedLease.applies(to: route.method, path: route.path)
        let requiresIfMatch = configuration.requiresIfMatch && Preconditions.conditionalMethods.contains(route.method)
        // What a personal access token needs here is decided from the route alone, before any resource is read.
        let tokenRule = TokenRouteRules.rule(method: route.method.rawValue, path: route.path)
        switch route.handler {
        case .open(let handler):
            router.on(route.routerPath, method: route.method) { request, context in try await handler(request, context)
            }
        case .authenticated(let plainHandler):
            let handler =
                IdempotentRetries.applies(to: route.method, path: route.path)
                ? retries.wrap(plainHandler) : plainHandler
            router.on(route.routerPath, method: route.method) { request, context in
                // The credential is checked as far as it can be before a store connection is taken.
                let presented = try await authenticator.presented(in: request)
                let authenticated: @Sendable () async throws -> Response = {
                    let (caller, credential) = try await authenticator.caller(for: presented)
                    try caller.grant?.authorize(tokenRule)
                    if requiresIfMatch, request.headers[.ifMatch] == nil { throw DomainError.preconditionRequired }
                    return try await handler(
                        request, AuthenticatedContext(request: context, caller: caller, credential: credential))
                }
                return try await sharesLease ? lease.run(authenticated) : authenticated()
            }
        case .claimed(let plainHandler):
            let handler =
                IdempotentRetries.applies(to: route.method, path: route.path)
                ? retries.wrap(plainHandler) : plainHandler
            router.on(route.routerPath, method: route.method) { request, context in
                let presented = try await authenticator.presented(in: request)
                // The use case reads the credential with its record, in a transaction that is the whole store
                // work of the request, whichever the token: there is no look-up to share a lease with.
                let claim = try authenticator.claim(for: presented, rule: tokenRule)
                let claimedContext = ClaimedContext(request: context, claim: claim) {
                    let (caller, credential) = try await authenticator.caller(for: presented)
                    try caller.grant?.authorize(tokenRule)
                    return (caller, credential)
                }
                do {
                    if requiresIfMatch, request.headers[.ifMatch] == nil { throw DomainError.preconditionRequired }
                    return try await handler(request, claimedContext)
                } catch {
                    // The handler may have failed before its use case read the token's user: a credential whose
                    // user may not use it is 401 before any other client error, and a personal access token's
                    // missing scope 403 before any answer about the resource.
                    guard claim.checkedCaller == nil, let status = Problem(answering: error)?.status.code,
                        (400..<500).contains(status), status != 401
                    else { throw error }
                    _ = try await claimedContext.caller()
                    throw error
                }
            }
        }
    }
    return (router, table)
}
