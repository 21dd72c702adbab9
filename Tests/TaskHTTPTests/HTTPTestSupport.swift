import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TaskAuth
import TaskCore
import TaskHTTP
import TaskTestSupport
import Testing

/// One API over a fresh store, with helpers that speak HTTP to it the way a client would. Every use case and the
/// token check read one stepping clock and ids come from a counter, so a run does not depend on the date.
struct APIHarness: Sendable {
    let services: TaskdServices
    let application: Application<RouterResponder<TaskRequestContext>>
    let routes: RouteTable
    /// The clock every use case and the token check read.
    let clock: SteppingClock

    static let secret = String(repeating: "test-secret-", count: 4)

    /// An API over a fresh store of `kind`, or over `store` when one is given.
    static func make(
        _ kind: StoreKind = .memory, store given: (any DataStore)? = nil,
        configuration: HTTPConfiguration = HTTPConfiguration(allowedOrigins: ["https://app.example.com"]),
        webhookTargets: WebhookTargetPolicy = WebhookTargetPolicy(resolve: TestHosts.resolve),
        adjusting adjust: (inout TaskdServices) -> Void = { _ in }
    ) async throws -> APIHarness {
        let store: any DataStore
        if let given { store = given } else { store = try await kind.makeFreshStore() }
        let clock = SteppingClock()
        let ids = CountingIDGenerator()
        let tokens = try await JWTAccessTokens(secret: secret, now: clock.now)
        let accounts = AccountService(store: store, hasher: PlainPasswordHasher(), now: clock.now, ids: ids)
        var services = TaskdServices(
            store: store, accounts: accounts, admin: UserAdministration(store: store, now: clock.now, ids: ids),
            sessions: SessionService(
                store: store, accounts: accounts, accessTokens: tokens, refreshTokens: RandomRefreshTokens(),
                now: clock.now),
            accessTokens: tokens, workspaces: WorkspaceService(store: store, now: clock.now, ids: ids),
            projects: ProjectService(store: store, now: clock.now, ids: ids),
            projectMembers: ProjectMemberService(store: store, now: clock.now, ids: ids),
            tasks: TaskService(store: store, now: clock.now, ids: ids),
            comments: CommentService(store: store, now: clock.now, ids: ids), activity: ActivityService(store: store),
            idempotency: IdempotencyService(store: store, now: clock.now),
            events: EventFeedService(
                store: store, now: clock.now, heartbeat: .milliseconds(200), revalidation: .zero),
            webhooks: WebhookService(
                store: store, targets: webhookTargets, now: clock.now, ids: ids),
            personalTokens: PersonalTokenService(
                store: store, minter: RandomPersonalTokens(), now: clock.now, ids: ids))
        adjust(&services)
        let (router, routes) = buildRouter(services: services, configuration: configuration)
        return APIHarness(services: services, application: Application(router: router), routes: routes, clock: clock)
    }

    /// Runs `body` with a client of the router; `.live` serves on a real socket on 127.0.0.1, so that requests
    /// have a peer address.
    func run(_ mode: TestingSetup = .router, _ body: @Sendable (APIClient) async throws -> Void) async throws {
        try await application.test(mode) { client in
            try await body(APIClient(client: client))
        }
    }
}

/// A response as a test reads it.
struct APIResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: Data

    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
    }

    /// The `data` array of a list.
    var items: [[String: Any]] {
        json["data"] as? [[String: Any]] ?? []
    }

    /// A string field of the JSON body.
    func string(_ key: String) -> String? { json[key] as? String }

    /// The field names of a 422's `errors`.
    var errorFields: [String] {
        (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Sends requests as a client would.
struct APIClient: Sendable {
    let client: any TestClientProtocol

    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
        headers: HTTPFields = [:], body: ByteBuffer? = nil
    ) async throws -> APIResponse {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        var payload = body
        if let json {
            if fields[.contentType] == nil { fields[.contentType] = "application/json" }
            payload = ByteBuffer(string: json)
        }
        return try await client.execute(uri: uri, method: method, headers: fields, body: payload) { response in
            APIResponse(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
        }
    }

    /// Creates a workspace named `name` as the holder of `token`; returns its id.
    func workspace(_ name: String = "W", token: String) async throws -> String {
        let created = try await send(.post, "/api/v1/workspaces", token: token, json: #"{"name":"\#(name)"}"#)
        return try #require(created.string("id"))
    }

    /// Creates a project named `name` in `workspace` as the holder of `token`; returns its id.
    func project(_ name: String = "P", in workspace: String, token: String) async throws -> String {
        let created = try await send(
            .post, "/api/v1/projects", token: token, json: #"{"workspace_id":"\#(workspace)","name":"\#(name)"}"#)
        return try #require(created.string("id"))
    }

    /// Registers `name@example.com` and logs in; returns the access token and the user id.
    func signUp(_ name: String) async throws -> (token: String, id: String) {
        let registered = try await send(
            .post, "/api/v1/auth/register",
            json: #"{"email":"\#(name)@example.com","password":"password-\#(name)","name":"\#(name)"}"#)
        let login = try await send(
            .post, "/api/v1/auth/login", json: #"{"email":"\#(name)@example.com","password":"password-\#(name)"}"#)
        return (login.string("access_token") ?? "", registered.string("id") ?? "")
    }
}
