import Foundation

/// RFC 3339 time stamps as the contract writes them: UTC, milliseconds, `Z` (`2026-11-22T10:00:00.123Z`).
public enum Timestamp {
    /// Formats an instant in UTC with milliseconds.
    public static func format(_ date: Date) -> String {
        let milliseconds = date.millisecondsSince1970
        let wholeSeconds = milliseconds >= 0 ? milliseconds / 1000 : -((-milliseconds + 999) / 1000)
        let fraction = Int(milliseconds - wholeSeconds * 1000)
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(wholeSeconds)))
        func padded(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(padded(parts.year, 4))-\(padded(parts.month, 2))-\(padded(parts.day, 2))T"
            + "\(padded(parts.hour, 2)):\(padded(parts.minute, 2)):\(padded(parts.second, 2)).\(padded(fraction, 3))Z"
    }

    /// Parses RFC 3339 text with any offset and any fraction of a second; `nil` when it is not RFC 3339.
    /// The instant is cut to milliseconds.
    public static func parse(_ text: String) -> Date? {
        let pattern = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/
        guard let match = text.wholeMatch(of: pattern),
            let year = Int(match.1), let month = Int(match.2), let day = Int(match.3),
            let hour = Int(match.4), let minute = Int(match.5), let second = Int(match.6),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var offsetSeconds = 0
        let zone = String(match.8)
        if zone != "Z" && zone != "z" {
            let sign = zone.hasPrefix("-") ? -1 : 1
            let parts = zone.dropFirst().split(separator: ":")
            guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]), hours < 24, minutes < 60
            else { return nil }
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        }
        var components = DateComponents()
        components.calendar = calendar
        components.timeZone = TimeZone(identifier: "UTC")
        components.year = year
        components.month = month
        components.day = day
        components.hour = hour
        components.minute = minute
        components.second = min(second, 59)
        guard components.isValidDate(in: calendar), let base = calendar.date(from: components) else { return nil }
        var fraction = 0.0
        if let digits = match.7 {
            fraction = Double("0" + digits) ?? 0
        }
        let instant = base.addingTimeInterval(fraction - Double(offsetSeconds))
        return instant.truncatedToMilliseconds
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }()
}
