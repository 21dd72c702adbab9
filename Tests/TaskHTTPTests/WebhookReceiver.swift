import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A webhook receiver on 127.0.0.1: records every request and answers with the next status of its script
/// (`200` once it is used up; `302` with a `Location`).
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        let path: String
        let headers: [String: String]
        let body: Data
        /// The status it was answered with; `nil` for a request held without an answer.
        let status: Int?
    }

    /// In a script: hold the request for a minute without answering.
    static let hold = -1

    private let state = Mutex<(script: [Int], received: [Received])>(([], []))
    private let port = Mutex<Int?>(nil)

    /// Every request so far.
    var received: [Received] { state.withLock { $0.received } }

    /// Adds statuses to the script.
    func answer(_ statuses: Int...) {
        state.withLock { $0.script += statuses }
    }

    /// Runs a receiver while `body` runs, and passes it the receiver's base URL.
    static func run(_ body: @Sendable (WebhookReceiver, String) async throws -> Void) async throws {
        let receiver = WebhookReceiver()
        let router = Router()
        router.post("/**") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let status = receiver.state.withLock { state in
                let status = state.script.isEmpty ? 200 : state.script.removeFirst()
                state.received.append(
                    Received(
                        path: request.uri.path, headers: headers, body: Data(bytes.readableBytesView),
                        status: status == hold ? nil : status))
                return status
            }
            if status == hold {
                try await Task.sleep(for: .seconds(60))
                return Response(status: .serviceUnavailable)
            }
            var response = Response(status: .init(code: status))
            if status == 302 { response.headers[.location] = "/elsewhere" }
            return response
        }
        let (ready, readyContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                readyContinuation.yield(channel.localAddress?.port ?? 0)
                readyContinuation.finish()
            }, logger: logger)
        let server = Task { try await application.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        var iterator = ready.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        receiver.port.withLock { $0 = port }
        try await body(receiver, "http://127.0.0.1:\(port)")
    }
}
