import Foundation

/// Where use cases read the current time; tests pass a fixed or stepping clock.
public typealias Now = @Sendable () -> Date

extension Date {
    /// This instant cut to whole milliseconds, the precision taskd stores and answers with.
    public var truncatedToMilliseconds: Date {
        Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000)
    }

    /// Whole milliseconds since 1970, rounded down. The instant is first rounded to the microsecond so that a value
    /// such as `.123` stored as `.12299999` is read as 123 ms.
    public var millisecondsSince1970: Int64 {
        let micros = Int64((timeIntervalSince1970 * 1_000_000).rounded())
        return micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000)
    }
}

/// The system clock, cut to milliseconds.
public let systemNow: Now = { Date().truncatedToMilliseconds }
