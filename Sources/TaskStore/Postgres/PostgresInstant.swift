import Foundation
import PostgresNIO
import TaskCore

/// A `timestamptz` bound exactly at millisecond precision. PostgresNIO's own `Date` encoding truncates the
/// microsecond count, so an instant such as `.123` (held as `.12299999`) would be stored as `.122999`.
struct PostgresInstant: PostgresNonThrowingEncodable, Sendable {
    let date: Date

    init(_ date: Date) {
        self.date = date
    }

    static var psqlType: PostgresDataType { .timestamptz }
    static var psqlFormat: PostgresFormat { .binary }

    /// Microseconds since 2000-01-01, PostgreSQL's epoch, always a whole number of milliseconds.
    var microsecondsSince2000: Int64 { (date.millisecondsSince1970 - 946_684_800_000) * 1000 }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeInteger(microsecondsSince2000)
    }
}

extension Date {
    /// This instant as a bind parameter of millisecond precision.
    var bound: PostgresInstant { PostgresInstant(self) }
}

extension Optional where Wrapped == Date {
    /// This instant (or `NULL`) as a bind parameter of millisecond precision.
    var bound: PostgresInstant? { map(PostgresInstant.init) }
}
