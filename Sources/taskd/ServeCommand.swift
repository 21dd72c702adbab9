import ArgumentParser
import Hummingbird
import Logging
import ServiceLifecycle

/// `taskd serve`: runs the HTTP API until SIGTERM or SIGINT, then finishes requests in flight and stops.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the HTTP API (the default command).",
        discussion: TaskdConfiguration.environmentHelp)

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The TCP port to listen on.")
    var port = 8080

    func run() async throws {
        let configuration = try TaskdConfiguration()
        let logger = Logging.makeLogger(level: configuration.logLevel)
        let (application, events) = try await ApplicationBuilder.makeApplication(
            configuration, host: host, port: port, logger: logger)
        // A graceful shutdown lets requests in flight finish, but not forever: past `shutdownTimeout` the services
        // are cancelled, and past another five seconds taskd exits whatever still runs.
        // Services shut down in reverse order: the stream closer first, so that open event streams end at once
        // instead of holding the server's shutdown until the timeout.
        var group = ServiceGroupConfiguration(
            services: [.init(service: application), .init(service: StreamCloser(events: events))],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = configuration.shutdownTimeout
        group.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: group).run()
    }
}

/// The process's logger.
enum Logging {
    static func makeLogger(level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "taskd")
        logger.logLevel = level
        return logger
    }
}
