import Logging
import ServiceLifecycle
import TaskCore

/// Deletes expired refresh tokens, counted attempts that no limit reads any more, and idempotency records,
/// events, webhook deliveries and expired personal access tokens past their retention, every ten minutes until
/// shutdown, starting once start-up work has finished (`gate`).
struct ExpiredRecordsCleaner: Service {
    let sessions: SessionService
    let idempotency: IdempotencyService
    let events: EventFeedService
    let webhooks: WebhookService
    let personalTokens: PersonalTokenService
    let gate: StartupGate
    let logger: Logger
    var interval: Duration = .seconds(600)

    func run() async throws {
        let sessions = sessions
        let idempotency = idempotency
        let events = events
        let webhooks = webhooks
        let personalTokens = personalTokens
        let logger = logger
        let interval = interval
        let gate = gate
        await cancelWhenGracefulShutdown {
            await gate.wait()
            while !Task.isCancelled {
                do {
                    try await sessions.removeExpiredRecords()
                    try await idempotency.removeExpiredRecords()
                    try await events.removeExpiredEvents()
                    try await webhooks.removeExpiredDeliveries()
                    try await personalTokens.removeExpiredTokens()
                } catch {
                    logger.warning(
                        "could not remove expired records", metadata: ["error": "\(String(describing: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
