import Hummingbird
import Logging
import TaskCore

/// Builds the router of the whole API over the given use cases. `taskd` and the tests build it the same way.
///
/// - Returns: the router and the table of its routes.
public func buildRouter(
    services: TaskdServices, configuration: HTTPConfiguration = HTTPConfiguration(), metrics: HTTPMetrics = HTTPMetrics()
) -> (router: Router<TaskRequestContext>, routes: RouteTable) {
    var builder = RouteBuilder()
    builder.addServiceRoutes(services, configuration: configuration, metrics: metrics)
    builder.addAuthRoutes(services, configuration: configuration)
    builder.addUserRoutes(services)
    builder.addWorkspaceRoutes(services)
    builder.addProjectRoutes(services)
    builder.addTaskRoutes(services)
    builder.addCommentRoutes(services)
    builder.addCompatibilityRoutes(services)
    let table = builder.table

    let router = Router(context: TaskRequestContext.self)
    router.add(middleware: RequestLogMiddleware(metrics: metrics))
    router.add(middleware: CORSPolicyMiddleware(allowedOrigins: configuration.allowedOrigins))
    router.add(middleware: ProblemMiddleware(routes: table))
    builder.register(on: router, services: services)
    return (router, table)
}
