import Foundation
import Synchronization
import TaskCore

/// A clock that starts at a fixed instant and moves one millisecond forward each time it is read, so that
/// rows made one after another have distinct, ordered time stamps.
public final class SteppingClock: Sendable {
    /// 2026-11-22T10:00:00Z.
    public static let start = Date(timeIntervalSince1970: 1_795_341_600)
    private let milliseconds = Mutex<Int64>(0)

    /// Creates a clock at `start`.
    public init() {}

    /// Reads the clock.
    public var now: Now {
        { [self] in
            let step = milliseconds.withLock { value in
                value += 1
                return value
            }
            return Date(timeIntervalSince1970: Self.start.timeIntervalSince1970 + Double(step) / 1000)
        }
    }

    /// Moves the clock `seconds` forward at once.
    public func advance(by seconds: Int64) {
        milliseconds.withLock { $0 += seconds * 1000 }
    }
}
