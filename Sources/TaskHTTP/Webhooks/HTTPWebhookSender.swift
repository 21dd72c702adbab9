import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import TaskCore

/// Sends webhook requests with async-http-client: checks the URL again at each attempt, connects to the address
/// it checked (never to what the name resolves to later), follows no redirect, and gives each attempt a deadline.
///
/// It keeps one client, and so one pool of connections, per host and checked address; call `shutdown()` when
/// done.
public final class HTTPWebhookSender: WebhookSender {
    private let targets: WebhookTargetPolicy
    private let eventLoopGroup: any EventLoopGroup
    private let clients = Mutex<[String: HTTPClient]>([:])

    /// At most this many pooled clients; a request to another host and address beyond it uses a client of its own.
    static let pooledClients = 256
    /// At most this much of an answer's body is read (and dropped) before the connection is given up.
    static let readBodyBytes = 64 * 1024

    private let connectTimeout: TimeAmount

    /// Creates a sender that checks URLs with `targets`; connecting may take up to `connectTimeout` seconds (each
    /// attempt's own deadline bounds it too).
    public init(
        targets: WebhookTargetPolicy, connectTimeout: TimeInterval = 10,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.targets = targets
        self.connectTimeout = .milliseconds(Int64(max(connectTimeout, 0.001) * 1000))
        self.eventLoopGroup = eventLoopGroup
    }

    /// Checks the URL, signs the message with every current secret and posts it; every failure is an outcome.
    public func send(_ message: DeliveryMessage, to webhook: Webhook, at: Date, timeout: TimeInterval) async
        -> AttemptOutcome
    {
        let target: WebhookTarget
        do {
            target = try await targets.target(webhook.url)
        } catch DomainError.validation(let errors) {
            return .failed(reason: "the URL is refused: it " + (errors.first?.message ?? "is not allowed"))
        } catch {
            return .failed(reason: "the URL is refused")
        }
        let body: Data
        do {
            body = try WebhookPayload.body(of: message)
        } catch {
            return .undeliverable(reason: "the event could not be encoded")
        }
        let timestamp = Int(at.timeIntervalSince1970.rounded(.down))
        let id = message.id.description
        var request = HTTPClientRequest(url: target.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "taskd-webhooks")
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature",
            value: WebhookSignature.header(
                id: id, timestamp: timestamp, body: body, secrets: webhook.signingSecrets(at: at)))
        request.body = .bytes(ByteBuffer(bytes: body))
        let (client, isPooled) = client(for: target)
        defer {
            if !isPooled { Task { try? await client.shutdown() } }
        }
        let deadline = NIODeadline.now() + .milliseconds(Int64(max(timeout, 0.001) * 1000))
        do {
            let response = try await client.execute(request, deadline: deadline)
            var read = 0
            for try await chunk in response.body {
                read += chunk.readableBytes
                if read > Self.readBodyBytes { break }
            }
            return .answered(
                status: Int(response.status.code),
                retryAfter: response.headers.first(name: "retry-after").flatMap(Self.retryAfter))
        } catch {
            return .failed(reason: Self.describe(error))
        }
    }

    /// Shuts every pooled client down.
    public func shutdown() async {
        let all = clients.withLock { clients in
            defer { clients = [:] }
            return Array(clients.values)
        }
        for client in all { try? await client.shutdown() }
    }

    /// The pooled client for a host and address, made on first use; a client of its own when the pool is full.
    private func client(for target: WebhookTarget) -> (HTTPClient, isPooled: Bool) {
        let key = target.host + "|" + target.addressText
        if let pooled = clients.withLock({ $0[key] }) { return (pooled, true) }
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: self.connectTimeout))
        if target.host != target.addressText { configuration.dnsOverride = [target.host: target.addressText] }
        let made = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
        let (client, isPooled, spare) = clients.withLock { clients -> (HTTPClient, Bool, HTTPClient?) in
            if let existing = clients[key] { return (existing, true, made) }
            guard clients.count < Self.pooledClients else { return (made, false, nil) }
            clients[key] = made
            return (made, true, nil)
        }
        if let spare { Task { try? await spare.shutdown() } }
        return (client, isPooled)
    }

    /// `Retry-After` in seconds: delta-seconds only (an HTTP date is ignored).
    static func retryAfter(_ text: String) -> TimeInterval? {
        guard let seconds = Int(text.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
        return TimeInterval(seconds)
    }

    /// A short reason for people, without the URL (which may hold a token in its query).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "no answer within the timeout"
            case .connectTimeout: return "the connection timed out"
            case .remoteConnectionClosed: return "the receiver closed the connection"
            default: return "the request failed: \(error)"
            }
        }
        if error is NIOConnectionError || error is ChannelError { return "the connection failed" }
        return "the request failed: \(type(of: error))"
    }
}
