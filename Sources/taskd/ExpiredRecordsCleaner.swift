import Logging
import ServiceLifecycle
import TaskCore

/// Deletes expired refresh tokens and old failed logins every ten minutes, until shutdown.
struct ExpiredRecordsCleaner: Service {
    let sessions: SessionService
    let logger: Logger
    var interval: Duration = .seconds(600)

    func run() async throws {
        let sessions = sessions
        let logger = logger
        let interval = interval
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await sessions.removeExpiredRecords()
                } catch {
                    logger.warning("could not remove expired sessions", metadata: ["error": "\(String(describing: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
