import Dispatch
import NIOCore
import NIOPosix

/// NIO's shared event loops, handed out strictly in turn.
///
/// postgres-nio opens each pooled connection on `eventLoopGroup.any()`, which is the calling thread's loop when
/// called from one. When a program runs Swift concurrency on those loops (NIO can install them as the global
/// executor), the pool would open every connection on one loop and leave the other cores idle; this group answers
/// `any()` with `next()` so connections spread over all loops whatever executor the program uses.
final class SpreadingEventLoopGroup: EventLoopGroup, Sendable {
    let base: MultiThreadedEventLoopGroup

    init(base: MultiThreadedEventLoopGroup = .singleton) {
        self.base = base
    }

    func next() -> any EventLoop { base.next() }

    func any() -> any EventLoop { base.next() }

    func makeIterator() -> EventLoopIterator { base.makeIterator() }

    func shutdownGracefully(queue: DispatchQueue, _ callback: @escaping @Sendable ((any Error)?) -> Void) {
        base.shutdownGracefully(queue: queue, callback)
    }
}
