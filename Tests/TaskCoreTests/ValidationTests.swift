import Foundation
import TaskTestSupport
import Testing

@testable import TaskCore

@Suite("Field validation")
struct ValidationTests {
    @Test("text is trimmed, then counted in Unicode scalars")
    func trimmedAndCounted() throws {
        #expect(try TextRules.trimmed("  Ship it \n", field: "title", length: FieldLimits.title) == "Ship it")
        let fiveHundredEmoji = String(repeating: "🚀", count: 500)
        #expect(try TextRules.trimmed(fiveHundredEmoji, field: "title", length: FieldLimits.title) == fiveHundredEmoji)
        #expect(throws: DomainError.invalid("title", "must be at most 500 characters")) {
            try TextRules.trimmed(fiveHundredEmoji + "x", field: "title", length: FieldLimits.title)
        }
        #expect(throws: DomainError.invalid("title", "must not be empty")) {
            try TextRules.trimmed("   ", field: "title", length: FieldLimits.title)
        }
    }

    @Test("a NUL character is refused in any text")
    func nulRefused() {
        #expect(throws: DomainError.invalid("body", "must not contain a NUL character")) {
            try TextRules.trimmed("a\u{0}b", field: "body", length: FieldLimits.commentBody)
        }
        var errors = FieldErrors()
        PasswordRules.check("password\u{0}1", field: "password", into: &errors)
        #expect(errors.all.map(\.field) == ["password"])
    }

    @Test(
        "emails: valid ones are lower-cased, invalid ones refused",
        arguments: [
            ("Alice@Example.COM", "alice@example.com"),
            (" bob.smith+tag@sub.example.org ", "bob.smith+tag@sub.example.org"),
        ])
    func validEmails(input: String, stored: String) throws {
        #expect(try EmailAddress(input).value == stored)
    }

    @Test(
        "malformed emails are refused",
        arguments: [
            "", "plain", "a@b", "@example.com", "a@@example.com", "a b@example.com", "a@-x.com", "a@example..com",
            String(repeating: "a", count: 65) + "@example.com", "a@" + String(repeating: "b", count: 250) + ".com",
        ])
    func invalidEmails(input: String) {
        #expect(throws: DomainError.self) { try EmailAddress(input) }
    }

    @Test("passwords: 8 to 72 bytes of UTF-8, never cut")
    func passwords() {
        func faults(_ password: String) -> [String] {
            var errors = FieldErrors()
            PasswordRules.check(password, field: "password", into: &errors)
            return errors.all.map(\.message)
        }
        #expect(faults("12345678").isEmpty)
        #expect(faults(String(repeating: "a", count: 72)).isEmpty)
        #expect(faults("1234567") == ["must be at least 8 bytes"])
        #expect(faults(String(repeating: "a", count: 73)) == ["must be at most 72 bytes"])
        #expect(faults(String(repeating: "é", count: 37)) == ["must be at most 72 bytes"], "74 bytes in 37 characters")
    }

    @Test("tags: at most 20, each 1...50 characters, duplicates dropped")
    func tags() {
        var errors = FieldErrors()
        #expect(TaskTextRules.tags([" a ", "b", "a"], into: &errors) == ["a", "b"])
        #expect(errors.isEmpty)
        _ = TaskTextRules.tags(Array(repeating: "x", count: 21), into: &errors)
        _ = TaskTextRules.tags(["ok", "", String(repeating: "y", count: 51)], into: &errors)
        #expect(errors.all.map(\.field) == ["tags", "tags[1]", "tags[2]"])
    }

    @Test("page limits: 1...100, default 20")
    func pageLimits() throws {
        #expect(try PageRequest().limit == 20)
        #expect(try PageRequest(limit: 100).limit == 100)
        #expect(throws: DomainError.self) { try PageRequest(limit: 0) }
        #expect(throws: DomainError.self) { try PageRequest(limit: 101) }
    }
}

@Suite("Time stamps")
struct TimestampTests {
    @Test("any offset is accepted and answered in UTC with milliseconds and Z")
    func offsets() throws {
        let date = try #require(Timestamp.parse("2026-11-22T11:00:00.123456+01:00"))
        #expect(Timestamp.format(date) == "2026-11-22T10:00:00.123Z")
        #expect(Timestamp.format(try #require(Timestamp.parse("2026-11-22T10:00:00Z"))) == "2026-11-22T10:00:00.000Z")
        #expect(
            Timestamp.format(try #require(Timestamp.parse("2026-11-21T20:30:00.5-13:30"))) == "2026-11-22T10:00:00.500Z"
        )
    }

    @Test("formatting agrees with the Gregorian calendar at the edges and across five centuries")
    func formatAgreesWithCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        func expected(_ milliseconds: Int64) -> String {
            let seconds = milliseconds >= 0 ? milliseconds / 1000 : -((-milliseconds + 999) / 1000)
            let parts = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
            return String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.year!, parts.month!, parts.day!, parts.hour!,
                parts.minute!, parts.second!, Int(milliseconds - seconds * 1000))
        }
        var instants: [Int64] = [
            0, -1, 999, -999, -1000, 951_782_400_000, 951_868_799_999, -2_203_891_200_000, 4_107_542_400_000,
            -11_676_096_000_000, 253_402_300_799_999, 1_795_348_800_123,
        ]
        var generator = SplitMix64(seed: 20_261_122)
        for _ in 0..<2000 {
            instants.append(Int64.random(in: -11_676_096_000_000..<253_402_300_800_000, using: &generator))
        }
        for milliseconds in instants {
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            #expect(Timestamp.format(date) == expected(date.millisecondsSince1970), "\(milliseconds)")
            #expect(Timestamp.withText(date) { String(decoding: $0, as: UTF8.self) } == Timestamp.format(date))
        }
        #expect(Timestamp.format(try #require(Timestamp.parse("1000-03-01T00:00:00Z"))) == "1000-03-01T00:00:00.000Z")
        #expect(
            Timestamp.format(try #require(Timestamp.parse("2000-02-29T23:59:59.999Z"))) == "2000-02-29T23:59:59.999Z")
    }

    @Test(
        "malformed time stamps are refused",
        arguments: [
            "2026-11-22", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "yesterday", "2026-11-22T10:00:00", "",
            "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00+1:00", "2026-11-22T10:00:00Z ", "２０２６-11-22T10:00:00Z",
            "٢٠٢٦-11-22T10:00:00Z", "2025-02-29T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T10:00:00+24:00",
        ])
    func malformed(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test(
        "only instants from year 0001 to 9999 are accepted, after the offset is applied",
        arguments: [
            "0001-01-01T00:00:00+23:59", "0000-12-31T23:59:59Z", "9999-12-31T23:59:59-23:59", "10000-01-01T00:00:00Z",
            "9999-12-31T23:59:60-00:01",
        ])
    func outsideYears(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test("the first and last instants round-trip in the proleptic Gregorian calendar")
    func edges() throws {
        let first = try #require(Timestamp.parse("0001-01-01T00:00:00Z"))
        #expect(first.millisecondsSince1970 == -62_135_596_800_000)
        #expect(Timestamp.format(first) == "0001-01-01T00:00:00.000Z")
        #expect(
            Timestamp.format(try #require(Timestamp.parse("0001-01-01T23:59:00+23:59"))) == "0001-01-01T00:00:00.000Z")
        #expect(Timestamp.format(try #require(Timestamp.parse("0004-02-29T12:00:00Z"))) == "0004-02-29T12:00:00.000Z")
        #expect(Timestamp.format(try #require(Timestamp.parse("1582-10-10T00:00:00Z"))) == "1582-10-10T00:00:00.000Z")
        let last = try #require(Timestamp.parse("9999-12-31T23:59:59.999999Z"))
        #expect(Timestamp.format(last) == "9999-12-31T23:59:59.999Z")
        #expect(Timestamp.format(try #require(Timestamp.parse("2026-12-31T23:59:60Z"))) == "2026-12-31T23:59:59.000Z")
        // Found by the fuzzer: far from 1970 a Double holds an instant only to hundredths of a millisecond.
        #expect(
            Timestamp.format(try #require(Timestamp.parse("9999-12-31T23:59:59.09-00:00")))
                == "9999-12-31T23:59:59.090Z")
        #expect(
            Timestamp.format(try #require(Timestamp.parse("0001-01-01T00:00:00.001Z"))) == "0001-01-01T00:00:00.001Z")
    }

    @Test("formatting and millisecond conversion are total: no instant traps, however far out")
    func totalConversions() {
        for seconds in [
            Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude, .infinity, -.infinity, .nan, 9.3e15,
            -9.3e15,
        ] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(!Timestamp.isRepresentable(date))
            let text = Timestamp.format(date)
            #expect(text.utf8.count == 24)
            _ = date.truncatedToMilliseconds
        }
    }
}

@Suite("Cursors and sorting")
struct PagingTests {
    @Test("a cursor round-trips and is refused by another ordering or when mangled")
    func cursorRoundTrip() throws {
        let position = PagePosition(value: .date(Date(timeIntervalSince1970: 1_795_341_600.123)), id: UUID())
        let text = PageCursor(ordering: "-due_date", position: position).encoded
        #expect(try PageCursor.position(from: text, ordering: "-due_date") == position)
        #expect(throws: DomainError.invalid("cursor", "belongs to another sort order")) {
            try PageCursor.position(from: text, ordering: "due_date")
        }
        #expect(throws: DomainError.invalid("cursor", "is not a valid cursor")) {
            try PageCursor.position(from: "not a cursor", ordering: "due_date")
        }
    }

    @Test(
        "a forged cursor is refused naming cursor: an instant outside years 0001-9999 or a value of the wrong kind",
        arguments: [
            (
                #"{"o":"workspaces","p":{"value":{"d":9223372036854775807},"id":"00000000-0000-0000-0000-000000000001"}}"#,
                "workspaces", CursorValues.dates
            ),
            (
                #"{"o":"workspaces","p":{"value":{"d":-8640000000000000},"id":"00000000-0000-0000-0000-000000000001"}}"#,
                "workspaces", .dates
            ),
            (
                #"{"o":"workspaces","p":{"value":{"d":-9223372036854775808},"id":"00000000-0000-0000-0000-000000000001"}}"#,
                "workspaces", .dates
            ),
            (#"{"o":"workspaces","p":{"value":{},"id":"00000000-0000-0000-0000-000000000001"}}"#, "workspaces", .dates),
            (
                #"{"o":"workspaces","p":{"value":{"n":3},"id":"00000000-0000-0000-0000-000000000001"}}"#, "workspaces",
                .dates
            ),
            (
                #"{"o":"priority","p":{"value":{"d":1795341600000},"id":"00000000-0000-0000-0000-000000000001"}}"#,
                "priority", .integers(0...4)
            ),
            (
                #"{"o":"priority","p":{"value":{"n":99999},"id":"00000000-0000-0000-0000-000000000001"}}"#, "priority",
                .integers(0...4)
            ),
            (
                #"{"o":"priority","p":{"value":{"n":1e30},"id":"00000000-0000-0000-0000-000000000001"}}"#, "priority",
                .integers(0...4)
            ),
            (
                #"{"o":"due_date","p":{"value":{"n":1},"id":"00000000-0000-0000-0000-000000000001"}}"#, "due_date",
                .optionalDates
            ),
            (
                #"{"o":"activity","p":{"value":{"n":-1},"id":"00000000-0000-0000-0000-000000000001"}}"#, "activity",
                .integers(0...Int.max)
            ),
        ])
    func forgedCursors(json: String, ordering: String, values: CursorValues) {
        let text = Data(json.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        #expect(throws: DomainError.invalid("cursor", "is not a valid cursor")) {
            try PageCursor.position(from: text, ordering: ordering, values: values)
        }
    }

    @Test("each task ordering's cursor carries its own kind of value")
    func taskSortCursorValues() throws {
        let task = Fixtures.task("t", in: WorkspaceID(UUID()), owner: UserID(UUID()), ids: CountingIDGenerator())
        for field in TaskSort.Field.allCases {
            let sort = TaskSort(field: field)
            let text = PageCursor(ordering: sort.name, position: sort.position(of: task)).encoded
            #expect(
                try PageCursor.position(from: text, ordering: sort.name, values: sort.cursorValues)
                    == sort.position(of: task))
        }
    }

    @Test("unknown sorts are refused; known ones parse with direction")
    func sortParsing() throws {
        #expect(try TaskSort(parsing: "-priority") == TaskSort(field: .priority, isDescending: true))
        #expect(try TaskSort(parsing: "due_date") == TaskSort(field: .dueDate))
        #expect(throws: DomainError.self) { try TaskSort(parsing: "title") }
        #expect(throws: DomainError.self) { try TaskSort(parsing: "--priority") }
    }

    @Test("tasks without a due date come last in both directions")
    func nullsLast() {
        let early = PagePosition(value: .date(Date(timeIntervalSince1970: 1)), id: UUID())
        let late = PagePosition(value: .date(Date(timeIntervalSince1970: 2)), id: UUID())
        let none = PagePosition(value: .null, id: UUID())
        let ascending = TaskSort(field: .dueDate)
        let descending = TaskSort(field: .dueDate, isDescending: true)
        #expect(ascending.precedes(early, late) && ascending.precedes(late, none) && !ascending.precedes(none, early))
        #expect(
            descending.precedes(late, early) && descending.precedes(early, none) && !descending.precedes(none, late))
    }
}
