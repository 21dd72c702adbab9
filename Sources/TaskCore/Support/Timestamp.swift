import Foundation

/// RFC 3339 time stamps as the contract writes them: UTC, milliseconds, `Z` (`2026-11-22T10:00:00.123Z`).
///
/// Dates are proleptic Gregorian, as in RFC 3339 and PostgreSQL, and computed arithmetically: no `Calendar`, no
/// time zone database, so the answer never depends on the machine's settings. taskd keeps instants from
/// `0001-01-01T00:00:00.000Z` to `9999-12-31T23:59:59.999Z` (`representable`); `parse` refuses any other.
public enum Timestamp {
    /// The first and last instant taskd stores, in milliseconds since 1970.
    public static let representableMilliseconds: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999

    /// Whether `date` lies within years 0001 to 9999 (UTC).
    public static func isRepresentable(_ date: Date) -> Bool {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e12 else { return false }
        return representableMilliseconds.contains(date.millisecondsSince1970)
    }

    /// Formats an instant in UTC with milliseconds. An instant outside `representableMilliseconds` (which `parse`
    /// never returns and no clock reaches) is written as the nearest representable one.
    public static func format(_ date: Date) -> String {
        String(unsafeUninitializedCapacity: formattedLength) { text in
            write(date, into: UnsafeMutableRawBufferPointer(text))
        }
    }

    /// Calls `body` with `format(date)`'s 24 bytes, for writers that put time stamps straight into a buffer.
    public static func withText<Result>(_ date: Date, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows
        -> Result
    {
        var storage: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return try withUnsafeMutableBytes(of: &storage) { text in
            try body(UnsafeRawBufferPointer(rebasing: text[..<write(date, into: text)]))
        }
    }

    /// The length of `format`'s text.
    private static let formattedLength = 24

    /// Writes `format(date)` into the first 24 bytes of `text` (callers give at least that many); returns 24.
    private static func write(_ date: Date, into text: UnsafeMutableRawBufferPointer) -> Int {
        let milliseconds = min(
            max(date.millisecondsSince1970, representableMilliseconds.lowerBound), representableMilliseconds.upperBound)
        let wholeSeconds = floorDivide(milliseconds, 1000)
        let fraction = Int(milliseconds - wholeSeconds * 1000)
        let days = floorDivide(wholeSeconds, 86_400)
        let secondOfDay = Int(wholeSeconds - days * 86_400)
        let (year, month, day) = civilDate(daysSince1970: Int(days))
        func put(_ value: Int, at offset: Int, width: Int) {
            var value = value
            for position in stride(from: offset + width - 1, through: offset, by: -1) {
                text[position] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(year, at: 0, width: 4)
        text[4] = UInt8(ascii: "-")
        put(month, at: 5, width: 2)
        text[7] = UInt8(ascii: "-")
        put(day, at: 8, width: 2)
        text[10] = UInt8(ascii: "T")
        put(secondOfDay / 3600, at: 11, width: 2)
        text[13] = UInt8(ascii: ":")
        put(secondOfDay / 60 % 60, at: 14, width: 2)
        text[16] = UInt8(ascii: ":")
        put(secondOfDay % 60, at: 17, width: 2)
        text[19] = UInt8(ascii: ".")
        put(fraction, at: 20, width: 3)
        text[23] = UInt8(ascii: "Z")
        return formattedLength
    }

    /// Parses RFC 3339 text with any offset and any fraction of a second; `nil` when it is not RFC 3339 or the
    /// instant, once the offset is applied, lies outside years 0001 to 9999. The instant is cut to milliseconds.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 64 else { return nil }
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }
        func expect(_ allowed: String) -> Bool {
            guard index < bytes.count, allowed.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2),
            expect("Tt "), let hour = digits(2), expect(":"), let minute = digits(2), expect(":"),
            let second = digits(2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60,
            second <= 60
        else { return nil }
        var milliseconds = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                if index - start < 3 { milliseconds = milliseconds * 10 + Int(bytes[index] - UInt8(ascii: "0")) }
                index += 1
            }
            guard index > start else { return nil }
            for _ in min(index - start, 3)..<3 { milliseconds *= 10 }
        }
        var offsetMinutes = 0
        if expect("Zz") {
            offsetMinutes = 0
        } else {
            guard index < bytes.count else { return nil }
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard expect("+-"), let hours = digits(2), expect(":"), let minutes = digits(2), hours < 24, minutes < 60
            else { return nil }
            offsetMinutes = sign * (hours * 60 + minutes)
        }
        guard index == bytes.count else { return nil }
        let days = Int64(daysSince1970(year: year, month: month, day: day))
        // A leap second (:60) is read as the last millisecond-free second of its minute, as PostgreSQL does.
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(offsetMinutes * 60)
        let total = seconds * 1000 + Int64(milliseconds)
        guard representableMilliseconds.contains(total) else { return nil }
        return Date(millisecondsSince1970: total)
    }

    /// The number of days in a month of the proleptic Gregorian calendar.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian year, month and day of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civilDate(daysSince1970: Int) -> (year: Int, month: Int, day: Int) {
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

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}
