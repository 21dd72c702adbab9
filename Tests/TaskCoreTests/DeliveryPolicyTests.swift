import Foundation
import TaskCore
import Testing

/// What an attempt's outcome does to a delivery and its webhook.
@Suite("Delivery policy")
struct DeliveryPolicyTests {
    static let start = Date(timeIntervalSince1970: 1_795_341_600)

    static func webhook(failingSince: Date? = nil) -> Webhook {
        Webhook(
            id: WebhookID(UUID()), workspaceID: WorkspaceID(UUID()), url: "https://hooks.example.com/in", events: .all,
            secret: "whsec_a", failingSince: failingSince, createdAt: start, updatedAt: start)
    }

    static func delivery(attempts: Int = 0) -> WebhookDelivery {
        WebhookDelivery(
            id: DeliveryID(UUID()), webhookID: WebhookID(UUID()), eventID: ActivityID(UUID()), kind: "task_created",
            attempts: attempts, nextAttemptAt: start, createdAt: start, updatedAt: start)
    }

    @Test("each wait varies by at most 20 %, placed by the random number")
    func jitter() {
        let policy = DeliveryPolicy(settings: .init())
        let failed = AttemptOutcome.answered(status: 500, retryAfter: nil)
        for (random, expected) in [(0.0, 4.0), (0.5, 5.0), (0.999_999, 6.0)] {
            let (delivery, _) = policy.apply(
                failed, to: Self.delivery(), of: Self.webhook(), at: Self.start, random: random)
            let wait = try! #require(delivery.nextAttemptAt).timeIntervalSince(Self.start)
            #expect(abs(wait - expected) < 0.001)
        }
        let (fifth, _) = policy.apply(
            failed, to: Self.delivery(attempts: 4), of: Self.webhook(), at: Self.start, random: 0)
        #expect(fifth.nextAttemptAt == Self.start.addingTimeInterval(7200 * 0.8))
    }

    @Test("a Retry-After lengthens a wait up to a day, and never shortens one")
    func retryAfter() {
        let policy = DeliveryPolicy(settings: .init())
        func wait(_ retryAfter: TimeInterval?) -> TimeInterval {
            let (delivery, _) = policy.apply(
                .answered(status: 503, retryAfter: retryAfter), to: Self.delivery(), of: Self.webhook(), at: Self.start,
                random: 0.5)
            return delivery.nextAttemptAt!.timeIntervalSince(Self.start)
        }
        #expect(wait(nil) == 5 && wait(1) == 5 && wait(120) == 120)
        #expect(wait(10_000_000) == 86400)
    }

    @Test("a 2xx succeeds and ends a failure streak; a 3xx is a failure; a 410 disables the webhook")
    func outcomes() {
        let policy = DeliveryPolicy(settings: .init())
        let failing = Self.webhook(failingSince: Self.start)
        let (done, cleared) = policy.apply(
            .answered(status: 204, retryAfter: nil), to: Self.delivery(), of: failing, at: Self.start, random: 0.5)
        #expect(done.status == .succeeded && done.attempts == 1 && cleared?.failingSince == nil && cleared != nil)
        let (_, untouched) = policy.apply(
            .answered(status: 200, retryAfter: nil), to: Self.delivery(), of: Self.webhook(), at: Self.start,
            random: 0.5)
        #expect(untouched == nil, "a success of a webhook that was not failing changes nothing")
        let (redirected, streak) = policy.apply(
            .answered(status: 301, retryAfter: nil), to: Self.delivery(), of: Self.webhook(), at: Self.start,
            random: 0.5)
        #expect(redirected.status == .pending && streak?.failingSince == Self.start)
        let (gone, disabled) = policy.apply(
            .answered(status: 410, retryAfter: nil), to: Self.delivery(), of: Self.webhook(), at: Self.start,
            random: 0.5)
        #expect(gone.status == .failed && gone.nextAttemptAt == nil)
        #expect(disabled?.isEnabled == false && disabled?.version == 2)
        let (lost, _) = policy.apply(
            .undeliverable(reason: "the event is no longer retained"), to: Self.delivery(), of: Self.webhook(),
            at: Self.start, random: 0.5)
        #expect(lost.status == .failed && lost.lastError == "the event is no longer retained")
    }

    @Test("after the last retry the delivery fails; three days of failures disable the webhook")
    func limits() {
        let policy = DeliveryPolicy(settings: .init())
        let failed = AttemptOutcome.failed(reason: "the connection failed")
        let (last, _) = policy.apply(
            failed, to: Self.delivery(attempts: 7), of: Self.webhook(), at: Self.start, random: 0.5)
        #expect(last.status == .failed && last.attempts == 8)
        let since = Self.start.addingTimeInterval(-3 * 86400)
        let (_, disabled) = policy.apply(
            failed, to: Self.delivery(), of: Self.webhook(failingSince: since), at: Self.start, random: 0.5)
        #expect(disabled?.isEnabled == false && disabled?.disabledReason == "every attempt failed for 3 days")
        let (_, notYet) = policy.apply(
            failed, to: Self.delivery(), of: Self.webhook(failingSince: since.addingTimeInterval(1)), at: Self.start,
            random: 0.5)
        #expect(notYet == nil)
    }

    @Test("TASKD_WEBHOOK_RETRY_SCHEDULE takes 1 to 20 whole seconds, each 1 to 604800")
    func schedule() throws {
        #expect(try WebhookDeliverySettings.retrySchedule(from: "5, 30,300") == [5, 30, 300])
        for bad in [
            "", "5,,30", "0", "1.5", "604801", "-1", "abc", Array(repeating: "1", count: 21).joined(separator: ","),
        ] {
            #expect(throws: DomainError.self) { try WebhookDeliverySettings.retrySchedule(from: bad) }
        }
    }

    @Test("a webhook signs with the previous secret until its overlap ends, and receives only its kinds and project")
    func webhookRules() {
        var webhook = Self.webhook()
        webhook.previousSecret = "whsec_old"
        webhook.previousSecretExpiresAt = Self.start.addingTimeInterval(60)
        #expect(webhook.signingSecrets(at: Self.start) == ["whsec_a", "whsec_old"])
        #expect(webhook.signingSecrets(at: Self.start.addingTimeInterval(60)) == ["whsec_a"])
        let project = ProjectID(UUID())
        let event = ActivityEvent(
            id: ActivityID(UUID()), taskID: nil, workspaceID: webhook.workspaceID, projectID: ProjectID(UUID()),
            formerProjectID: project, actorID: UserID(UUID()), kind: .taskMoved, at: Self.start, changes: .none)
        webhook.projectID = project
        webhook.events = .kinds([.taskMoved])
        #expect(webhook.receives(event), "a move out of the project is in its feed")
        webhook.events = .kinds([.taskCreated])
        #expect(!webhook.receives(event))
        webhook.events = .all
        webhook.projectID = ProjectID(UUID())
        #expect(!webhook.receives(event))
    }
}
