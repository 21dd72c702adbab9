import ServiceLifecycle
import TaskCore

/// Ends the open event streams when a graceful shutdown begins. It runs after the HTTP application in the service
/// group, so it is told first: the server then finds no stream left to wait for.
struct StreamCloser: Service {
    let events: EventFeedService

    func run() async throws {
        try? await gracefulShutdown()
        events.closeStreams()
    }
}
