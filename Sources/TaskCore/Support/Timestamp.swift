import Foundation

/// RFC 3339 time stamps as the contract writes them: UTC, milliseconds, `Z` (`2026-11-22T10:00:00.123Z`).
public enum Timestamp {
    /// Formats an instant in UTC with milliseconds.
    ///
    /// Instants from 1600 to 9999 are computed arithmetically (every response carries several, and `Calendar` was
    /// a visible cost in a profile of task lists); others go through `Calendar`, whose Gregorian calendar turns
    /// Julian before 1582, so that `parse` and `format` always agree.
    public static func format(_ date: Date) -> String {
        let milliseconds = date.millisecondsSince1970
        let wholeSeconds = milliseconds >= 0 ? milliseconds / 1000 : -((-milliseconds + 999) / 1000)
        let fraction = Int(milliseconds - wholeSeconds * 1000)
        guard (arithmeticRange).contains(wholeSeconds) else { return calendarFormat(wholeSeconds, fraction) }
        let days = wholeSeconds >= 0 ? wholeSeconds / 86_400 : -((-wholeSeconds + 86_399) / 86_400)
        let secondOfDay = Int(wholeSeconds - days * 86_400)
        let (year, month, day) = civilDate(daysSince1970: Int(days))
        var text = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int, at offset: Int, width: Int) {
            var value = value
            for position in stride(from: offset + width - 1, through: offset, by: -1) {
                text[position] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(year, at: 0, width: 4)
        put(month, at: 5, width: 2)
        put(day, at: 8, width: 2)
        put(secondOfDay / 3600, at: 11, width: 2)
        put(secondOfDay / 60 % 60, at: 14, width: 2)
        put(secondOfDay % 60, at: 17, width: 2)
        put(fraction, at: 20, width: 3)
        for (offset, character) in [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "."), (23, "Z")] {
            text[offset] = UInt8(ascii: Unicode.Scalar(character)!)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// 1600-01-01T00:00:00Z up to 10000-01-01T00:00:00Z, in seconds since 1970.
    private static let arithmeticRange: Range<Int64> = -11_676_096_000..<253_402_300_800

    /// The proleptic Gregorian year, month and day of a day count since 1970-01-01 (H. Hinnant's algorithm).
    private static func civilDate(daysSince1970: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = daysSince1970 + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func calendarFormat(_ wholeSeconds: Int64, _ fraction: Int) -> String {
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
