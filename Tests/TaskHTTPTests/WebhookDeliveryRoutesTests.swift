import Crypto
import Foundation
import HTTPTypes
import TaskCore
import TaskHTTP
import TaskTestSupport
import Testing

/// Webhook deliveries over HTTP to a receiver on 127.0.0.1, as with `TASKD_WEBHOOK_ALLOW_HTTP` and
/// `TASKD_WEBHOOK_ALLOW_PRIVATE`; the worker is stepped with the harness's clock.
@Suite("HTTP: webhook deliveries")
struct WebhookDeliveryRoutesTests {
    static let local = WebhookTargetPolicy(allowsHTTP: true, allowsPrivate: true, resolve: TestHosts.resolve)

    /// A harness, a worker sending over HTTP, a signed-up owner and a workspace.
    struct Setup {
        let harness: APIHarness
        let worker: WebhookDeliveryWorker
        let sender: HTTPWebhookSender

        init(_ kind: StoreKind, senderTargets: WebhookTargetPolicy = WebhookDeliveryRoutesTests.local) async throws {
            harness = try await APIHarness.make(kind, webhookTargets: WebhookDeliveryRoutesTests.local)
            sender = HTTPWebhookSender(targets: senderTargets)
            worker = WebhookDeliveryWorker(
                store: harness.services.store, sender: sender, now: harness.clock.now, random: { 0.5 },
                attemptsDue: harness.services.webhooks.attemptsDue)
        }

        /// Attempts what is due once older transactions have ended.
        @discardableResult
        func deliverDue() async throws -> Int {
            try await FeedSettling.settle(harness.services.store)
            return try await worker.deliverDue()
        }

        /// Runs `body` with a receiver on 127.0.0.1 and a client of the API, once ann has signed up, made a
        /// workspace and subscribed a webhook to `events` at the receiver's `/in`; then closes the sender's
        /// connections.
        func run(
            events: String = #"["*"]"#,
            _ body: @Sendable (WebhookReceiver, APIClient, Subscription) async throws -> Void
        ) async throws {
            do {
                try await WebhookReceiver.run { receiver, base in
                    try await harness.run { api in
                        let (token, _) = try await api.signUp("ann")
                        let workspace = try await api.workspace("W", token: token)
                        let hooks = "/api/v1/workspaces/\(workspace)/webhooks"
                        let created = try await api.send(
                            .post, hooks, token: token, json: #"{"url":"\#(base)/in","events":\#(events)}"#)
                        #expect(created.status == .created)
                        let subscription = Subscription(
                            token: token, workspace: workspace, hooks: hooks,
                            id: try #require(created.string("id")), secret: try #require(created.string("secret")))
                        try await body(receiver, api, subscription)
                    }
                }
            } catch {
                await sender.shutdown()
                throw error
            }
            await sender.shutdown()
        }
    }

    /// A webhook `Setup.run` made: its owner's token, its workspace, the workspace's webhooks path, its id and
    /// secret.
    struct Subscription: Sendable {
        let token: String
        let workspace: String
        let hooks: String
        let id: String
        let secret: String
    }

    /// HMAC-SHA256 built from SHA-256 alone (RFC 2104), independent of the signer's HMAC.
    static func hmac(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? Array(SHA256.hash(data: key)) : key
        block += Array(repeating: 0, count: 64 - block.count)
        let inner = Array(SHA256.hash(data: block.map { $0 ^ 0x36 } + message))
        return Array(SHA256.hash(data: block.map { $0 ^ 0x5C } + inner))
    }

    /// Whether `header` holds a `v1` signature of the request made with `secret`.
    static func verifies(_ request: WebhookReceiver.Received, secret: String) -> Bool {
        guard let key = Data(base64Encoded: String(secret.dropFirst("whsec_".count))),
            let id = request.headers["webhook-id"], let timestamp = request.headers["webhook-timestamp"],
            let header = request.headers["webhook-signature"]
        else { return false }
        let expected = hmac(key: Array(key), Array("\(id).\(timestamp).".utf8) + Array(request.body))
        return header.split(separator: " ").contains { "v1," + Data(expected).base64EncodedString() == $0 }
    }

    static func json(_ data: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    @Test(
        "an event is delivered signed (checked with an independent HMAC), with the Standard Webhooks headers and body",
        arguments: StoreKind.available)
    func signedDelivery(_ kind: StoreKind) async throws {
        let setup = try await Setup(kind)
        try await setup.run(events: #"["task_created"]"#) { receiver, api, subscription in
            let (ann, workspace, hooks, hook) = (
                subscription.token, subscription.workspace, subscription.hooks, subscription.id
            )
            let secret = subscription.secret
            let task = try await api.send(
                .post, "/api/v1/tasks", token: ann, json: #"{"title":"Ship","workspace_id":"\#(workspace)"}"#)
            try await api.send(
                .patch, "/api/v1/tasks/\(task.string("id") ?? "")", token: ann, json: #"{"title":"Shipped"}"#)
            #expect(try await setup.deliverDue() == 1, "only the kinds the webhook asked for")

            let request = try #require(receiver.received.first)
            #expect(request.path == "/in")
            #expect(request.headers["content-type"] == "application/json")
            #expect(Self.verifies(request, secret: secret))
            #expect(!Self.verifies(request, secret: "whsec_" + Data(repeating: 1, count: 32).base64EncodedString()))
            let timestamp = try #require(request.headers["webhook-timestamp"].flatMap(Int.init))
            #expect(abs(TimeInterval(timestamp) - SteppingClock.start.timeIntervalSince1970) < 60)
            let body = Self.json(request.body)
            #expect(body["type"] as? String == "task_created")
            let data = try #require(body["data"] as? [String: Any])
            #expect(data["task_id"] as? String == task.string("id"))
            #expect(data["kind"] as? String == "task_created" && data["workspace_id"] as? String == workspace)
            #expect(data["id"] as? String == request.headers["webhook-id"])
            #expect(body["timestamp"] as? String == data["at"] as? String)

            let feed = try await api.send(
                .get, "/api/v1/workspaces/\(workspace)/events?kind=task_created", token: ann)
            #expect(feed.items.first?["id"] as? String == request.headers["webhook-id"])
            let deliveries = try await api.send(.get, "\(hooks)/\(hook)/deliveries", token: ann)
            let delivery = try #require(deliveries.items.first)
            #expect(deliveries.items.count == 1)
            #expect(delivery["status"] as? String == "succeeded" && delivery["attempts"] as? Int == 1)
            #expect(delivery["last_response_status"] as? Int == 200 && delivery["next_attempt_at"] is NSNull)
            #expect(delivery["event_id"] as? String == request.headers["webhook-id"])
        }
    }

    @Test(
        "a 500 is retried with the same webhook-id, a redirect is not followed, a 410 fails and disables the webhook",
        arguments: StoreKind.available)
    func retriesAndGone(_ kind: StoreKind) async throws {
        let setup = try await Setup(kind)
        try await setup.run() { receiver, api, subscription in
            let (ann, workspace, hooks, hook) = (
                subscription.token, subscription.workspace, subscription.hooks, subscription.id
            )
            receiver.answer(500, 302)
            try await api.send(
                .post, "/api/v1/tasks", token: ann, json: #"{"title":"A","workspace_id":"\#(workspace)"}"#)
            #expect(try await setup.deliverDue() == 1)
            var listed = try await api.send(.get, "\(hooks)/\(hook)/deliveries", token: ann)
            var delivery = try #require(listed.items.first)
            #expect(delivery["status"] as? String == "pending" && delivery["last_response_status"] as? Int == 500)
            #expect(delivery["next_attempt_at"] is String)
            setup.harness.clock.advance(by: 10)
            #expect(try await setup.deliverDue() == 1)
            listed = try await api.send(.get, "\(hooks)/\(hook)/deliveries", token: ann)
            delivery = try #require(listed.items.first)
            #expect(delivery["last_response_status"] as? Int == 302 && delivery["status"] as? String == "pending")
            #expect(!receiver.received.contains { $0.path == "/elsewhere" }, "no redirect is followed")
            setup.harness.clock.advance(by: 60)
            #expect(try await setup.deliverDue() == 1)
            let ids = receiver.received.map { $0.headers["webhook-id"] }
            #expect(ids.count == 3 && Set(ids).count == 1)
            let id = try #require(delivery["id"] as? String)
            let done = try await api.send(.get, "\(hooks)/\(hook)/deliveries/\(id)", token: ann)
            #expect(done.string("status") == "succeeded" && done.json["attempts"] as? Int == 3)

            receiver.answer(410)
            try await api.send(
                .post, "/api/v1/tasks", token: ann, json: #"{"title":"B","workspace_id":"\#(workspace)"}"#)
            #expect(try await setup.deliverDue() == 1)
            let gone = try #require(try await api.send(.get, "\(hooks)/\(hook)/deliveries", token: ann).items.first)
            #expect(gone["status"] as? String == "failed" && gone["last_response_status"] as? Int == 410)
            let webhook = try await api.send(.get, "\(hooks)/\(hook)", token: ann)
            #expect(webhook.json["enabled"] as? Bool == false)
            #expect(webhook.string("disabled_reason") == "the receiver answered 410 Gone")
            try await api.send(
                .post, "/api/v1/tasks", token: ann, json: #"{"title":"C","workspace_id":"\#(workspace)"}"#)
            #expect(try await api.send(.get, "\(hooks)/\(hook)/deliveries", token: ann).items.count == 2)
            let ping = try await api.send(.post, "\(hooks)/\(hook)/ping", token: ann)
            #expect(ping.status == .conflict && ping.string("code") == "webhook_disabled")
        }
    }

    @Test(
        "after a rotation both secrets sign; a redelivery and a ping go out at once",
        arguments: StoreKind.available)
    func rotationRedeliverPing(_ kind: StoreKind) async throws {
        let setup = try await Setup(kind)
        try await setup.run() { receiver, api, subscription in
            let (ann, workspace, hooks, hook) = (
                subscription.token, subscription.workspace, subscription.hooks, subscription.id
            )
            let old = subscription.secret
            let rotated = try await api.send(.post, "\(hooks)/\(hook)/rotate-secret", token: ann)
            let new = try #require(rotated.string("secret"))
            try await api.send(
                .post, "/api/v1/tasks", token: ann, json: #"{"title":"A","workspace_id":"\#(workspace)"}"#)
            #expect(try await setup.deliverDue() == 1)
            let first = try #require(receiver.received.first)
            #expect(first.headers["webhook-signature"]?.split(separator: " ").count == 2)
            #expect(Self.verifies(first, secret: new) && Self.verifies(first, secret: old))

            let ping = try await api.send(.post, "\(hooks)/\(hook)/ping", token: ann)
            #expect(ping.status == .accepted && ping.string("kind") == "webhook_ping")
            #expect(try await setup.deliverDue() == 1)
            let pinged = try #require(receiver.received.last)
            #expect(Self.json(pinged.body)["type"] as? String == "webhook_ping")
            #expect(pinged.headers["webhook-id"] == ping.string("event_id"))

            let delivery = try #require(
                try await api.send(.get, "\(hooks)/\(hook)/deliveries", token: ann).items.last?["id"] as? String)
            setup.harness.clock.advance(by: 25 * 3600)
            let login = try await api.send(
                .post, "/api/v1/auth/login", json: #"{"email":"ann@example.com","password":"password-ann"}"#)
            let fresh = try #require(login.string("access_token"))
            let again = try await api.send(.post, "\(hooks)/\(hook)/deliveries/\(delivery)/redeliver", token: fresh)
            #expect(again.status == .accepted && again.string("status") == "pending")
            #expect(try await setup.deliverDue() == 1)
            let redelivered = try #require(receiver.received.last)
            #expect(redelivered.headers["webhook-id"] == first.headers["webhook-id"])
            #expect(redelivered.headers["webhook-signature"]?.split(separator: " ").count == 1)
            #expect(Self.verifies(redelivered, secret: new) && !Self.verifies(redelivered, secret: old))
            let done = try await api.send(.get, "\(hooks)/\(hook)/deliveries/\(delivery)", token: fresh)
            #expect(done.json["attempts"] as? Int == 2 && done.string("status") == "succeeded")
            let missing = try await api.send(
                .get, "\(hooks)/\(hook)/deliveries/00000000-0000-0000-0000-000000000000", token: fresh)
            #expect(missing.status == .notFound && missing.string("code") == "delivery_not_found")
        }
    }

    @Test(
        "the address is checked again at each attempt: a refused one is never connected to",
        arguments: StoreKind.available)
    func checkedAtEachAttempt(_ kind: StoreKind) async throws {
        let setup = try await Setup(
            kind, senderTargets: WebhookTargetPolicy(allowsHTTP: true, allowsPrivate: false, resolve: TestHosts.resolve)
        )
        try await setup.run() { receiver, api, subscription in
            let (ann, workspace, hooks, hook) = (
                subscription.token, subscription.workspace, subscription.hooks, subscription.id
            )
            try await api.send(
                .post, "/api/v1/tasks", token: ann, json: #"{"title":"A","workspace_id":"\#(workspace)"}"#)
            #expect(try await setup.deliverDue() == 1)
            #expect(receiver.received.isEmpty)
            let delivery = try #require(
                try await api.send(.get, "\(hooks)/\(hook)/deliveries", token: ann).items.first)
            #expect(delivery["status"] as? String == "pending" && delivery["last_response_status"] is NSNull)
            #expect((delivery["last_error"] as? String)?.hasPrefix("the URL is refused") == true)
        }
    }
}
