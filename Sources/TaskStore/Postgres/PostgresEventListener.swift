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

    let locator: PrimaryLocator
    let storeID: String
    let signal: EventSignal
    let logger: Logger

    /// Listens on the host in use; when the store moves to another host (a failover), listens there instead, since
    /// notifications are only sent to the sessions of the server they were raised on.
    func run() async {
        while !Task.isCancelled {
            do {
                let (client, host) = try await locator.client(until: .now() + .seconds(10))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await listen(on: client) }
                    group.addTask {
                        while !Task.isCancelled, locator.currentIndex == host {
                            try await Task.sleep(for: .seconds(1))
                        }
                    }
                    // Whichever ends first (the connection, or the host in use changing) ends both.
                    try await group.next()
                    group.cancelAll()
                }
            } catch {
                if Task.isCancelled { return }
                logger.notice(
                    "listening for event notifications failed; trying again", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private func listen(on client: PostgresClient) async throws {
        try await client.withConnection { connection in
            try await connection.listen(on: Self.channel) { notifications in
                signal.notify()
                for try await notification in notifications where notification.payload != storeID {
                    signal.notify()
                }
            }
        }
    }
}
