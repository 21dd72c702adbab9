import Hummingbird
import Logging
import NIOCore
import TaskCore

/// The per-request context: Hummingbird's core storage, the authenticated caller (set by
/// `AuthenticationMiddleware`), the request id and the peer's address.
public struct TaskRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller on `/api/v1` routes that need one.
    public var caller: Caller?
    /// The id of this request, echoed as `X-Request-ID`.
    public var requestID: String = ""
    /// The address of the TCP peer (a proxy, when there is one).
    public let peerAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Request bodies larger than 1 MiB are refused with 413.
    public var maxUploadSize: Int { 1024 * 1024 }

    /// The caller. - Throws: `DomainError.unauthenticated` when the route ran without authentication.
    func requireCaller() throws -> Caller {
        guard let caller else { throw DomainError.unauthenticated }
        return caller
    }
}
