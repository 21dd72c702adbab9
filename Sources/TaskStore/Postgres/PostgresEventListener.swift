import Foundation
import Logging
import PostgresNIO
import TaskCore

/// Listens on one pooled connection for the event notifications other taskd processes send when they commit
/// events, and wakes this process's waiting readers (`EventSignal`). Notifications only wake readers, which then
/// read the log; one that is lost (nobody listened) costs a reader at most its next periodic re-read, never an
/// event. After a lost connection it listens again, and wakes every reader once, in case it missed something.
struct PostgresEventListener {
    /// The notification channel.
    static let channel = "taskd_events"

    let client: PostgresClient
    let storeID: String
    let signal: EventSignal
    let logger: Logger

    func run() async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        signal.notify()
                        for try await notification in notifications where notification.payload != storeID {
                            signal.notify()
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.notice(
                    "listening for event notifications failed; trying again", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
