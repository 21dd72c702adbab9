import Foundation
import Logging
import PostgresNIO
import TaskCore

/// The payload of a `taskd_events` notification: the writing store's id, so that it can ignore its own, followed
/// by `deliveriesMarker` when the commit queued webhook deliveries.
struct EventNotification: Equatable {
    /// What follows the writer's id when deliveries were queued.
    static let deliveriesMarker = " deliveries"

    /// The id of the store that committed the events.
    var writer: String
    /// Whether the commit queued webhook deliveries.
    var queuedDeliveries: Bool

    /// The notification `payload` names.
    init(payload: String) {
        queuedDeliveries = payload.hasSuffix(Self.deliveriesMarker)
        writer = queuedDeliveries ? String(payload.dropLast(Self.deliveriesMarker.count)) : payload
    }
}

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
    /// Rung as well when the committed events queued webhook deliveries.
    let deliverySignal: EventSignal
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
                deliverySignal.notify()
                for try await notification in notifications {
                    let received = EventNotification(payload: notification.payload)
                    guard received.writer != storeID else { continue }
                    signal.notify()
                    if received.queuedDeliveries { deliverySignal.notify() }
                }
            }
        }
    }
}
