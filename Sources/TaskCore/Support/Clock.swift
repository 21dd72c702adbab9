import Foundation

/// Where use cases read the current time; tests pass a fixed or stepping clock.
public typealias Now = @Sendable () -> Date

extension Date {
    /// This instant cut to whole milliseconds, the precision taskd stores and answers with.
    public var truncatedToMilliseconds: Date {
        Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000)
    }

    /// Whole milliseconds since 1970, rounded down; an instant within a few units of the last place of a whole
    /// millisecond counts as that millisecond, so that `.123` held as `.12299999`, or a far instant that a
    /// `Double` holds only to a few hundredths of a millisecond, reads as the millisecond it was made from.
    ///
    /// Total: an instant beyond about ±290,000 years (or not finite) is clamped there instead of trapping, so a
    /// forged value can never stop the process; `Timestamp.isRepresentable` tells whether taskd keeps an instant.
    public var millisecondsSince1970: Int64 {
        let seconds = timeIntervalSince1970
        let clamped = seconds.isNaN ? 0 : min(max(seconds, -Self.clampSeconds), Self.clampSeconds)
        let scaled = clamped * 1000
        let nearest = scaled.rounded()
        let tolerance = max(1e-3, scaled.ulp * 4)
        return Int64(abs(scaled - nearest) <= tolerance ? nearest : scaled.rounded(.down))
    }

    /// The instant `milliseconds` after 1970-01-01T00:00:00Z.
    public init(millisecondsSince1970 milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// The bound `millisecondsSince1970` clamps to, in seconds: its microseconds still fit an `Int64`.
    private static let clampSeconds: Double = 9e12
}

/// The system clock, cut to milliseconds.
public let systemNow: Now = { Date().truncatedToMilliseconds }
