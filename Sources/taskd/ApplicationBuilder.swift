import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import TaskAuth
import TaskCore
import TaskHTTP
import TaskStore

/// The composition root: builds the store, the hasher, the token services and the use cases, and wires them
/// into the HTTP application and its background services.
enum ApplicationBuilder {
    /// The store the configuration names, and the service that runs its pool (PostgreSQL only).
    static func makeStore(_ configuration: TaskdConfiguration, logger: Logger) -> (any DataStore, PostgresStore?) {
        guard let url = configuration.databaseURL else { return (MemoryStore(), nil) }
        let store = PostgresStore(
            url: url, pool: configuration.databasePool, directURL: configuration.directDatabaseURL,
            usesPreparedStatements: configuration.usesPreparedStatements, logger: logger)
        return (store, store)
    }

    /// Every use case over `store`, on the system clock and random ids: the one place they are built.
    static func makeServices(_ configuration: TaskdConfiguration, store: any DataStore, logger: Logger) async throws
        -> TaskdServices
    {
        let secret: String
        if let configured = configuration.jwtSecret {
            secret = configured
        } else if configuration.databaseURL == nil {
            secret = RandomRefreshTokens().mint().token + RandomRefreshTokens().mint().token
            logger.warning("TASKD_JWT_SECRET is not set: using a random secret; tokens end when taskd stops")
        } else {
            throw ConfigurationError(
                "TASKD_JWT_SECRET is required with DATABASE_URL, so that tokens stay valid across restarts and instances"
            )
        }
        let tokens = try await JWTAccessTokens(secret: secret, lifetime: configuration.accessTokenLifetime)
        let hasher = try CryptPasswordHasher(cost: configuration.bcryptCost)
        let now = systemNow
        let ids = RandomIDGenerator()
        var accounts = AccountService(store: store, hasher: hasher, now: now, ids: ids)
        accounts.registrationThrottle =
            configuration.registerAddressLimit == 0
            ? nil : LoginThrottle(limit: configuration.registerAddressLimit, window: .seconds(3600))
        accounts.administratorEmails = configuration.administratorEmails
        var sessions = SessionService(
            store: store, accounts: accounts, accessTokens: tokens, refreshTokens: RandomRefreshTokens(), now: now)
        sessions.refreshLifetime = configuration.refreshTokenLifetime
        sessions.addressThrottle = LoginThrottle(limit: configuration.loginAddressLimit)
        return TaskdServices(
            store: store, accounts: accounts, admin: UserAdministration(store: store, now: now, ids: ids),
            sessions: sessions,
            accessTokens: tokens, workspaces: WorkspaceService(store: store, now: now, ids: ids),
            projects: ProjectService(store: store, now: now, ids: ids),
            projectMembers: ProjectMemberService(store: store, now: now, ids: ids),
            tasks: TaskService(store: store, now: now, ids: ids),
            comments: CommentService(store: store, now: now, ids: ids),
            activity: ActivityService(store: store), idempotency: IdempotencyService(store: store, now: now),
            events: EventFeedService(store: store, now: now, retentionDays: configuration.eventRetentionDays),
            webhooks: WebhookService(store: store, targets: webhookTargets(configuration), now: now, ids: ids),
            personalTokens: PersonalTokenService(store: store, minter: RandomPersonalTokens(), now: now, ids: ids))
    }

    /// The URLs webhooks may reach, as configured.
    static func webhookTargets(_ configuration: TaskdConfiguration) -> WebhookTargetPolicy {
        WebhookTargetPolicy(
            allowsHTTP: configuration.webhookAllowsHTTP, allowsPrivate: configuration.webhookAllowsPrivate,
            resolve: SystemHostResolver.addresses(of:))
    }

    /// The HTTP application with every background service, ready for `runService()`, and the event feeds (whose
    /// streams the caller ends on shutdown).
    static func makeApplication(
        _ configuration: TaskdConfiguration, host: String, port: Int, logger: Logger
    ) async throws -> (some ApplicationProtocol, EventFeedService) {
        let (store, postgres) = makeStore(configuration, logger: logger)
        if postgres == nil {
            logger.warning("DATABASE_URL is not set: using the in-memory store; all data is lost when taskd stops")
        }
        let services = try await makeServices(configuration, store: store, logger: logger)
        let http = HTTPConfiguration(
            allowedOrigins: configuration.allowedOrigins, trustedProxies: configuration.trustedProxies,
            requiresIfMatch: configuration.requireIfMatch)
        let (router, _) = buildRouter(services: services, configuration: http)
        let gate = StartupGate()
        var background: [any Service] = []
        if let postgres {
            background.append(postgres)
        }
        let sender = HTTPWebhookSender(
            targets: webhookTargets(configuration), connectTimeout: configuration.webhookDelivery.timeout)
        background.append(
            WebhookDeliveryService(
                worker: WebhookDeliveryWorker(
                    store: store, sender: sender, settings: configuration.webhookDelivery,
                    attemptsDue: services.webhooks.attemptsDue, load: services.requestLoad,
                    onError: { error in
                        logger.warning(
                            "webhook delivery could not reach the store",
                            metadata: ["error": "\(String(describing: error))"])
                    }),
                sender: sender, gate: gate))
        background.append(
            ExpiredRecordsCleaner(
                sessions: services.sessions, idempotency: services.idempotency, events: services.events,
                webhooks: services.webhooks, personalTokens: services.personalTokens,
                gate: gate,
                logger: logger))
        var application = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: TimeAmount(configuration.httpIdleTimeout))),
            configuration: .init(address: .hostname(host, port: port), serverName: "taskd"),
            services: background,
            logger: logger
        )
        let admin = services.admin
        let adminEmails = configuration.administratorEmails
        application.beforeServerStarts {
            if let postgres, configuration.migrateOnStart {
                let applied = try await postgres.migrate()
                logger.info("schema is up to date", metadata: ["applied": "\(applied)"])
            }
            for user in try await admin.promote(configured: adminEmails) {
                logger.notice("made a configured address a system administrator", metadata: ["user_id": "\(user.id)"])
            }
            gate.open()
        }
        return (application, services.events)
    }
}
