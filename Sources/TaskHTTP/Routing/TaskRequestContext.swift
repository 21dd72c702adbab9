import Hummingbird
import Logging
import NIOCore
import TaskCore

/// The per-request context: Hummingbird's core storage, the request id and the peer's address. Routes that need a
/// caller get an `AuthenticatedContext` built from it.
public struct TaskRequestContext: RequestContext {
    /// Hummingbird's storage for the request (parameters, logger, endpoint).
    public var coreContext: CoreRequestContextStorage
    /// The id of this request, echoed as `X-Request-ID`.
    public var requestID: String = ""
    /// The TCP peer (a proxy, when there is one).
    private let peer: SocketAddress?

    /// The address of the TCP peer, as text; made when asked for (by the login routes' limits), not for every
    /// request.
    public var peerAddress: String? { peer?.ipAddress }

    /// Creates the context of a request that arrived on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress
    }

    /// Request bodies larger than 1 MiB are refused with 413.
    public var maxUploadSize: Int { 1024 * 1024 }
}
