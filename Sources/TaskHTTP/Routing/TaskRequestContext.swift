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
    /// The address of the TCP peer (a proxy, when there is one).
    public let peerAddress: String?

    /// Creates the context of a request that arrived on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Request bodies larger than 1 MiB are refused with 413.
    public var maxUploadSize: Int { 1024 * 1024 }
}
