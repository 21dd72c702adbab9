import Foundation
import TaskCore
import TaskTestSupport
import Testing

/// Webhook deliveries on every store: queued with the event, claimed by one attempt at a time, retried, disabled.
@Suite("Store conformance: webhook deliveries")
struct WebhookDeliveryConformanceTests {
    /// A world with a webhook service and a worker over a scripted sender; retries wait exactly their scheduled
    /// time (no jitter).
    struct Fixture {
        let world: TestWorld
        let webhooks: WebhookService
        let sender: ScriptedSender
        let worker: WebhookDeliveryWorker
        let alice: Caller
        let workspace: WorkspaceID
        let project: ProjectID

        init(_ kind: StoreKind, script: [AttemptOutcome] = [], settings: WebhookDeliverySettings = .init())
            async throws
        {
            world = TestWorld(store: try await kind.makeFreshStore())
            webhooks = WebhookService(
                store: world.store, targets: WebhookTargetPolicy(resolve: TestHosts.resolve), now: world.clock.now)
            sender = ScriptedSender(script)
            worker = WebhookDeliveryWorker(
                store: world.store, sender: sender, settings: settings, now: world.clock.now, random: { 0.5 },
                attemptsDue: webhooks.attemptsDue)
            alice = try await world.register("alice")
            workspace = try await world.workspace(owner: alice)
            project = try await world.projects.create(alice, NewProject(workspaceID: workspace, name: "P")).id
        }

        func hook(_ events: [String] = ["*"], project: ProjectID? = nil) async throws -> Webhook {
            try await webhooks.create(
                alice, in: workspace,
                NewWebhook(url: "https://hooks.example.com/in", events: events, projectID: project))
        }

        @discardableResult
        func task(_ title: String, in project: ProjectID? = nil) async throws -> TaskItem {
            try await world.tasks.create(alice, NewTask(title: title, projectID: project ?? self.project))
        }

        /// Enables or disables `webhook` as its workspace's owner.
        func setEnabled(_ webhook: Webhook, _ isEnabled: Bool) async throws {
            _ = try await webhooks.update(alice, in: workspace, id: webhook.id, precondition: nil) {
                WebhookPatch(isEnabled: .set(isEnabled))
            }
        }

        func deliveries(_ webhook: Webhook) async throws -> [WebhookDelivery] {
            try await webhooks.deliveries(alice, in: workspace, of: webhook.id, page: try PageRequest(limit: 100)).items
        }

        /// Attempts what is due, once every transaction begun before has ended (on PostgreSQL a first attempt
        /// waits for older transactions, and other suites run some all the time).
        @discardableResult
        func deliverDue() async throws -> Int {
            try await FeedSettling.settle(world.store)
            return try await worker.deliverDue()
        }

        func claim(limit: Int = 100, leaseSeconds: TimeInterval = 40) async throws -> [DeliveryAttempt] {
            try await FeedSettling.settle(world.store)
            let now = world.clock.now()
            return try await world.store.transaction { tx in
                try await tx.claimDeliveries(now: now, leaseUntil: now.addingTimeInterval(leaseSeconds), limit: limit)
            }
        }
    }

    @Test(
        "a webhook's page of deliveries read with the webhook: newest first, paged; empty for a webhook without any; none for a webhook of another workspace or none",
        arguments: StoreKind.available)
    func deliveriesWithTheirWebhook(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let hook = try await fixture.hook()
        let quiet = try await fixture.hook(["comment_added"])
        for index in 0..<3 {
            fixture.world.clock.advance(by: 1)
            try await fixture.task("T\(index)")
        }
        let other = try await fixture.world.workspace(owner: fixture.alice)
        let (all, first, quietPage, elsewhere, missing) = try await fixture.world.store.transaction {
            [fixture] tx in
            (
                try await tx.deliveries(of: hook.id, in: fixture.workspace, before: nil, limit: 10),
                try await tx.deliveries(of: hook.id, in: fixture.workspace, before: nil, limit: 2),
                try await tx.deliveries(of: quiet.id, in: fixture.workspace, before: nil, limit: 10),
                try await tx.deliveries(of: hook.id, in: other, before: nil, limit: 10),
                try await tx.deliveries(of: WebhookID(UUID()), in: fixture.workspace, before: nil, limit: 10)
            )
        }
        let alone = try await fixture.world.store.transaction { tx in
            try await tx.deliveries(of: hook.id, before: nil, limit: 10)
        }
        #expect(all == alone && all?.count == 3)
        #expect(all?.map(\.createdAt) == all?.map(\.createdAt).sorted(by: >), "newest first")
        #expect(first == Array(alone.prefix(2)))
        let last = try #require(first?.last)
        let rest = try await fixture.world.store.transaction { tx in
            try await tx.deliveries(
                of: hook.id, in: fixture.workspace,
                before: PagePosition(value: .date(last.createdAt), id: last.id.uuid),
                limit: 10)
        }
        #expect(rest == Array(alone.suffix(1)))
        #expect(quietPage == [])
        #expect(elsewhere == nil && missing == nil)
    }

    @Test(
        "a committed event is queued for each enabled webhook that receives it; a rolled-back one for none",
        arguments: StoreKind.available)
    func queueing(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let other = try await fixture.world.projects.create(
            fixture.alice, NewProject(workspaceID: fixture.workspace, name: "Q"))
        let all = try await fixture.hook()
        let narrow = try await fixture.hook(["task_created"], project: other.id)
        let off = try await fixture.hook()
        try await fixture.setEnabled(off, false)
        let first = try await fixture.task("in P")
        let second = try await fixture.task("in Q", in: other.id)
        try await fixture.world.tasks.complete(fixture.alice, id: second.id)
        struct Rollback: Error {}
        let stray = ActivityEvent(
            id: ActivityID(UUID()), taskID: first.id, workspaceID: fixture.workspace, projectID: fixture.project,
            actorID: fixture.alice.id, kind: .taskUpdated, at: fixture.world.clock.now(), changes: .fields([:]))
        await #expect(throws: Rollback.self) {
            try await fixture.world.store.transaction { tx in
                try await tx.appendEvents([stray])
                throw Rollback()
            }
        }

        #expect(try await fixture.deliveries(all).map(\.kind) == ["task_completed", "task_created", "task_created"])
        #expect(try await fixture.deliveries(narrow).map(\.kind) == ["task_created"])
        #expect(try await fixture.deliveries(narrow).first?.status == .pending)
        #expect(try await fixture.deliveries(off).isEmpty)
        #expect(try await fixture.deliverDue() == 4)
        let sent = fixture.sender.sent
        #expect(Set(sent.map(\.webhookID)) == [all.id, narrow.id])
        #expect(!sent.map(\.eventID).contains(stray.id))
        for delivery in try await fixture.deliveries(all) {
            #expect(delivery.status == .succeeded && delivery.attempts == 1 && delivery.lastResponseStatus == 200)
            #expect(delivery.nextAttemptAt == nil)
        }
    }

    @Test("first attempts are claimed in feed order, each by one claimer at a time", arguments: StoreKind.available)
    func claiming(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        _ = try await fixture.hook()
        var created: [TaskID] = []
        for index in 0..<5 { created.append(try await fixture.task("t\(index)").id) }
        let claimed = try await fixture.claim(limit: 3)
        let events = claimed.compactMap { attempt -> TaskID? in
            if case .event(let event) = attempt.message { return event.taskID }
            return nil
        }
        #expect(events == Array(created.prefix(3)))
        let rest = try await fixture.claim()
        #expect(rest.count == 2, "a claimed delivery is not claimed again while its claim lasts")
        #expect(try await fixture.claim().isEmpty)
        fixture.world.clock.advance(by: 41)
        #expect(try await fixture.claim().count == 5, "a claim that ran out is taken over")
    }

    @Test(
        "a delivery changed before its first attempt (redelivered, parked, its webhook deleted) is counted and attempted once",
        arguments: StoreKind.available)
    func changedBeforeFirstAttempt(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let kept = try await fixture.hook()
        let paused = try await fixture.hook()
        let deleted = try await fixture.hook()
        try await fixture.task("one")
        try await fixture.task("two")
        #expect(try await fixture.webhooks.deliveryCounts().pending == 6)

        let first = try #require(try await fixture.deliveries(kept).last)
        let redelivered = try await fixture.webhooks.redeliver(
            fixture.alice, in: fixture.workspace, of: kept.id, delivery: first.id)
        #expect(redelivered.status == .pending && redelivered.attempts == 0)
        try await fixture.setEnabled(paused, false)
        #expect(try await fixture.deliveries(paused).map(\.nextAttemptAt) == [nil, nil], "parked while disabled")
        try await fixture.webhooks.delete(fixture.alice, in: fixture.workspace, id: deleted.id)
        #expect(try await fixture.webhooks.deliveryCounts().pending == 4)
        #expect(try await fixture.deliveries(kept).count == 2)

        #expect(try await fixture.deliverDue() == 2, "each of the kept webhook's deliveries once, none of the others")
        #expect(Set(fixture.sender.sent.map(\.webhookID)) == [kept.id])
        #expect(fixture.sender.sent.filter { $0.eventID == first.eventID }.count == 1)
        #expect(try await fixture.webhooks.deliveryCounts().pending == 2)
        #expect(try await fixture.deliverDue() == 0)

        try await fixture.setEnabled(paused, true)
        #expect(try await fixture.deliverDue() == 2, "the parked deliveries go out once it is enabled")
        #expect(try await fixture.webhooks.deliveryCounts().pending == 0)
        #expect(try await fixture.deliveries(kept).allSatisfy { $0.status == .succeeded && $0.attempts == 1 })
    }

    @Test(
        "eight claimers in parallel share forty deliveries: each is claimed exactly once",
        arguments: StoreKind.available)
    func parallelClaims(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        _ = try await fixture.hook()
        for index in 0..<40 { try await fixture.task("t\(index)") }
        let claims = try await withThrowingTaskGroup(of: [DeliveryID].self) { group in
            for _ in 0..<8 { group.addTask { try await fixture.claim(limit: 10).map(\.delivery.id) } }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claims.count == 40)
        #expect(Set(claims).count == 40)
    }

    @Test("an outcome is recorded only under the claim it was made with", arguments: StoreKind.available)
    func staleClaim(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let webhook = try await fixture.hook()
        try await fixture.task("t")
        let stale = try #require(try await fixture.claim().first)
        fixture.world.clock.advance(by: 41)
        let current = try #require(try await fixture.claim().first)
        #expect(current.lease != stale.lease)
        try await fixture.worker.attempt(stale)
        #expect(try await fixture.deliveries(webhook).first?.attempts == 0)
        try await fixture.worker.attempt(current)
        #expect(try await fixture.deliveries(webhook).first?.status == .succeeded)
    }

    @Test(
        "a redelivery asked for while an attempt is in flight wins: that attempt's outcome is not recorded",
        arguments: StoreKind.available)
    func redeliverDuringAttempt(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind, script: [.answered(status: 500, retryAfter: nil)])
        let webhook = try await fixture.hook()
        try await fixture.task("t")
        let inFlight = try #require(try await fixture.claim().first)
        let redelivered = try await fixture.webhooks.redeliver(
            fixture.alice, in: fixture.workspace, of: webhook.id, delivery: inFlight.delivery.id)
        #expect(redelivered.status == .pending)
        try await fixture.worker.attempt(inFlight)
        let after = try #require(try await fixture.deliveries(webhook).first)
        #expect(after.attempts == 0 && after.lastResponseStatus == nil, "the 500 of the overtaken attempt is dropped")
        #expect(try await fixture.deliverDue() == 1)
        #expect(try await fixture.deliveries(webhook).first?.status == .succeeded)
    }

    @Test(
        "a failed attempt is retried on the schedule, a Retry-After only lengthens the wait, a success ends the streak",
        arguments: StoreKind.available)
    func retries(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(
            kind,
            script: [
                .answered(status: 500, retryAfter: nil), .failed(reason: "the connection failed"),
                .answered(status: 503, retryAfter: 1), .answered(status: 429, retryAfter: 600),
            ])
        let webhook = try await fixture.hook()
        try await fixture.task("t")
        #expect(try await fixture.deliverDue() == 1)
        var delivery = try #require(try await fixture.deliveries(webhook).first)
        #expect(delivery.status == .pending && delivery.attempts == 1 && delivery.lastResponseStatus == 500)
        #expect(delivery.lastError == "the receiver answered 500")
        let failingSince = try #require(
            try await fixture.webhooks.webhook(fixture.alice, in: fixture.workspace, id: webhook.id).failingSince)
        let firstWait = try #require(delivery.nextAttemptAt).timeIntervalSince(delivery.updatedAt)
        #expect(abs(firstWait - 5) < 0.01)
        #expect(try await fixture.deliverDue() == 0, "not due before its time")

        for (wait, status, error) in [
            (30.0, nil as Int?, "the connection failed"), (300, 503, "the receiver answered 503"),
            (1800, 429, "the receiver answered 429"),
        ] {
            fixture.world.clock.advance(by: 2000)
            #expect(try await fixture.deliverDue() == 1)
            delivery = try #require(try await fixture.deliveries(webhook).first)
            #expect(delivery.lastResponseStatus == status && delivery.lastError == error)
            let waited = try #require(delivery.nextAttemptAt).timeIntervalSince(delivery.updatedAt)
            #expect(abs(waited - wait) < 0.01, "a Retry-After of 1 s or 600 s does not shorten the schedule's wait")
        }
        fixture.world.clock.advance(by: 2000)
        #expect(try await fixture.deliverDue() == 1)
        delivery = try #require(try await fixture.deliveries(webhook).first)
        #expect(delivery.status == .succeeded && delivery.attempts == 5 && delivery.lastError == nil)
        let after = try await fixture.webhooks.webhook(fixture.alice, in: fixture.workspace, id: webhook.id)
        #expect(after.failingSince == nil && after.isEnabled)
        #expect(failingSince <= delivery.createdAt.addingTimeInterval(1))
    }

    @Test("a delivery fails after the last retry", arguments: StoreKind.available)
    func exhausted(_ kind: StoreKind) async throws {
        var settings = WebhookDeliverySettings()
        settings.retrySchedule = [5, 10]
        let fixture = try await Fixture(
            kind, script: Array(repeating: .answered(status: 500, retryAfter: nil), count: 3), settings: settings)
        let webhook = try await fixture.hook()
        try await fixture.task("t")
        for _ in 0..<3 {
            #expect(try await fixture.deliverDue() == 1)
            fixture.world.clock.advance(by: 60)
        }
        let delivery = try #require(try await fixture.deliveries(webhook).first)
        #expect(delivery.status == .failed && delivery.attempts == 3 && delivery.nextAttemptAt == nil)
        #expect(try await fixture.deliverDue() == 0)
        let counts = try await fixture.webhooks.deliveryCounts()
        #expect(counts == DeliveryCounts(pending: 0, failed: 1, disabledWebhooks: 0))
    }

    @Test(
        "a 410 fails the delivery and disables the webhook: its pending deliveries wait, new events are not queued",
        arguments: StoreKind.available)
    func gone(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind, script: [.answered(status: 410, retryAfter: nil)])
        let webhook = try await fixture.hook()
        try await fixture.task("first")
        try await fixture.task("second")
        let first = try #require(try await fixture.claim(limit: 1).first)
        try await fixture.worker.attempt(first)
        let disabled = try await fixture.webhooks.webhook(fixture.alice, in: fixture.workspace, id: webhook.id)
        #expect(!disabled.isEnabled && disabled.disabledReason == "the receiver answered 410 Gone")
        #expect(disabled.version == webhook.version + 1)
        try await fixture.task("third")
        #expect(try await fixture.deliveries(webhook).map(\.status) == [.pending, .failed])
        #expect(try await fixture.deliveries(webhook).first?.nextAttemptAt == nil, "parked while disabled")
        #expect(try await fixture.deliverDue() == 0)
        #expect(
            try await fixture.webhooks.deliveryCounts() == DeliveryCounts(pending: 1, failed: 1, disabledWebhooks: 1))
        await #expect(throws: DomainError.conflict(.webhookDisabled)) {
            try await fixture.webhooks.ping(fixture.alice, in: fixture.workspace, id: webhook.id)
        }

        try await fixture.setEnabled(webhook, true)
        #expect(try await fixture.deliveries(webhook).first?.nextAttemptAt != nil)
        #expect(try await fixture.deliverDue() == 1, "the pending delivery goes out once enabled again")
        #expect(fixture.sender.sent.count == 2)
    }

    @Test("a webhook whose every attempt failed for the set time is disabled", arguments: StoreKind.available)
    func failingTooLong(_ kind: StoreKind) async throws {
        var settings = WebhookDeliverySettings()
        settings.disableAfter = 3600
        let fixture = try await Fixture(
            kind, script: Array(repeating: .failed(reason: "the connection failed"), count: 10), settings: settings)
        let webhook = try await fixture.hook()
        try await fixture.task("t")
        #expect(try await fixture.deliverDue() == 1)
        fixture.world.clock.advance(by: 1000)
        #expect(try await fixture.deliverDue() == 1)
        #expect(try await fixture.webhooks.webhook(fixture.alice, in: fixture.workspace, id: webhook.id).isEnabled)
        fixture.world.clock.advance(by: 3000)
        #expect(try await fixture.deliverDue() == 1)
        let disabled = try await fixture.webhooks.webhook(fixture.alice, in: fixture.workspace, id: webhook.id)
        #expect(!disabled.isEnabled && disabled.disabledReason == "every attempt failed for 3600 s")
        #expect(try await fixture.deliveries(webhook).first?.status == .failed)
    }

    @Test(
        "a ping and a redelivery are due at once; deliveries page newest first and belong to their webhook",
        arguments: StoreKind.available)
    func pingAndRedeliver(_ kind: StoreKind) async throws {
        var settings = WebhookDeliverySettings()
        settings.retrySchedule = [5]
        let fixture = try await Fixture(
            kind, script: Array(repeating: .answered(status: 500, retryAfter: nil), count: 2), settings: settings)
        let webhook = try await fixture.hook()
        let other = try await fixture.hook()
        try await fixture.task("t")
        #expect(try await fixture.deliverDue() == 2)
        #expect(try await fixture.deliverDue() == 0, "a retry is not due before its time")
        fixture.world.clock.advance(by: 10)
        #expect(try await fixture.deliverDue() == 2)
        let ping = try await fixture.webhooks.ping(fixture.alice, in: fixture.workspace, id: webhook.id)
        #expect(ping.kind == "webhook_ping" && ping.status == .pending && ping.nextAttemptAt != nil)
        #expect(try await fixture.deliverDue() == 1)
        #expect(fixture.sender.sent.last?.kind == "webhook_ping")
        #expect(fixture.sender.sent.last?.webhookID == webhook.id)

        let page = try await fixture.webhooks.deliveries(
            fixture.alice, in: fixture.workspace, of: webhook.id, page: try PageRequest(limit: 1))
        #expect(page.items.map(\.id) == [ping.id])
        let next = try await fixture.webhooks.deliveries(
            fixture.alice, in: fixture.workspace, of: webhook.id,
            page: try PageRequest(limit: 1, cursor: page.nextCursor))
        let event = try #require(next.items.first)
        #expect(event.kind == "task_created" && event.status == .succeeded && event.attempts == 2)
        await #expect(throws: DomainError.notFound(.delivery)) {
            try await fixture.webhooks.delivery(fixture.alice, in: fixture.workspace, of: other.id, delivery: ping.id)
        }

        let again = try await fixture.webhooks.redeliver(
            fixture.alice, in: fixture.workspace, of: webhook.id, delivery: event.id)
        #expect(again.status == .pending && again.attempts == 2)
        #expect(try await fixture.deliverDue() == 1)
        let redelivered = try await fixture.webhooks.delivery(
            fixture.alice, in: fixture.workspace, of: webhook.id, delivery: event.id)
        #expect(redelivered.status == .succeeded && redelivered.attempts == 3)
        #expect(fixture.sender.sent.filter { $0.eventID == event.eventID && $0.webhookID == webhook.id }.count == 3)
    }

    @Test(
        "deliveries older than 30 days are removed; deleting a webhook removes its deliveries",
        arguments: StoreKind.available)
    func retention(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let webhook = try await fixture.hook()
        try await fixture.task("old")
        fixture.world.clock.advance(by: 31 * 86400)
        try await fixture.task("new")
        try await fixture.webhooks.removeExpiredDeliveries()
        #expect(try await fixture.deliveries(webhook).count == 1)
        try await fixture.webhooks.delete(fixture.alice, in: fixture.workspace, id: webhook.id)
        #expect(try await fixture.webhooks.deliveryCounts().pending == 0)
    }
}
