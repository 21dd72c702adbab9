import Foundation
import Synchronization
import TaskCore

/// Makes UUIDs `00000000-0000-0000-0000-000000000001`, `...0002`, ... so that tests are repeatable.
public final class CountingIDGenerator: IDGenerator {
    private let counter = Mutex<UInt64>(0)

    /// Creates a generator starting at 1.
    public init() {}

    /// The next UUID of the count.
    public func next() -> UUID {
        let value = counter.withLock { count in
            count += 1
            return count
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 { bytes[15 - index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
