import Foundation

/// An attempt limit (logins, password changes, registrations): after `limit` failures under one key within
/// `window`, every attempt under that key is refused until the oldest of those failures leaves the window.
/// Attempts refused this way are not counted.
public struct LoginThrottle: Sendable, Equatable {
    /// How many failures are allowed within the window.
    public var limit: Int
    /// How far back failures count.
    public var window: Duration

    /// Creates a limit.
    public init(limit: Int, window: Duration = .seconds(15 * 60)) {
        self.limit = limit
        self.window = window
    }

    /// The contract's per-email limit: 5 failures in 15 minutes (the 6th attempt is refused).
    public static let perEmail = LoginThrottle(limit: 5)
    /// The default per-client-address limit: 100 failures in 15 minutes.
    public static let perAddress = LoginThrottle(limit: 100)
    /// Wrong current passwords given to a password change, per user: 5 in 15 minutes, as for logins.
    public static let perPasswordChange = LoginThrottle(limit: 5)
    /// The default registrations per client address: 30 in an hour.
    public static let registrationsPerAddress = LoginThrottle(limit: 30, window: .seconds(3600))

    /// The start of the window ending at `now`.
    public func windowStart(at now: Date) -> Date {
        now.addingTimeInterval(-window.seconds)
    }

    /// `nil` when another attempt is allowed, else the whole seconds to wait (at least 1).
    /// - Parameter failures: the failures within the window, oldest first.
    public func retryAfter(failures: [Date], at now: Date) -> Int? {
        let recent = failures.filter { $0.addingTimeInterval(window.seconds) > now }
        guard recent.count >= limit, let oldest = recent.suffix(limit).first else { return nil }
        let wait = oldest.addingTimeInterval(window.seconds).timeIntervalSince(now)
        return max(1, Int(wait.rounded(.up)))
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    public var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
