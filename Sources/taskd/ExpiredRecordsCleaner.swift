import Logging
import ServiceLifecycle
import TaskCore

/// Deletes expired refresh tokens and counted attempts that no limit reads any more, every ten minutes until
/// shutdown, starting once start-up work has finished (`gate`).
struct ExpiredRecordsCleaner: Service {
    let sessions: SessionService
    let gate: StartupGate
    let logger: Logger
    var interval: Duration = .seconds(600)

    func run() async throws {
        let sessions = sessions
        let logger = logger
        let interval = interval
        let gate = gate
        await cancelWhenGracefulShutdown {
            await gate.wait()
            while !Task.isCancelled {
                do {
                    try await sessions.removeExpiredRecords()
                } catch {
                    logger.warning(
                        "could not remove expired sessions", metadata: ["error": "\(String(describing: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
