import Foundation
import TaskCore

/// A request's JSON object body, read field by field. Every wrong field is collected, and `finish()` reports
/// them all as one 422. Fields the route does not read (`id`, `is_admin`, `role` where not editable) are ignored.
struct JSONBody: Sendable {
    private let fields: [String: JSONValue]
    private var errors = FieldErrors()

    /// Parses a request body: empty reads as `{}`; anything but one JSON object is refused.
    /// - Throws: `RequestDecodingError.malformed` when the bytes are not strict JSON (400);
    ///   `DomainError.validation` naming `body` when they are JSON but not an object (422).
    static func parse<Bytes: Collection>(_ bytes: Bytes) throws -> JSONBody where Bytes.Element == UInt8 {
        guard !bytes.isEmpty else { return JSONBody(fields: [:]) }
        let value: JSONValue
        do {
            value = try StrictJSON.parse(bytes)
        } catch let error as StrictJSON.SyntaxError {
            throw RequestDecodingError.malformed("The body is not well-formed JSON: \(error.description)")
        }
        guard case .object(let fields) = value else {
            throw DomainError.invalid("body", "must be a JSON object")
        }
        return JSONBody(fields: fields)
    }

    init(fields: [String: JSONValue]) {
        self.fields = fields
    }

    /// Whether no field read so far had a fault.
    var isValid: Bool { errors.isEmpty }

    /// The `422` of the faults found, with `more` added: the rule faults (a name too long, an empty title) of the
    /// fields that did parse, so that a client learns every fault at once. A field already reported is not
    /// reported twice.
    func failure(alongWith more: [FieldError] = []) -> DomainError {
        let reported = Set(errors.all.map(\.field))
        return .validation(errors.all + more.filter { !reported.contains($0.field) })
    }

    /// Throws `failure(alongWith: more)` when a field had a fault; does nothing otherwise (the use case then checks
    /// the rules itself).
    func finish(alongWith more: [FieldError] = []) throws {
        guard isValid else { throw failure(alongWith: more) }
    }

    // MARK: Fields

    /// A string field: absent leaves it unchanged, `null` clears it.
    mutating func string(_ key: String) -> FieldPatch<String?> {
        field(key, expected: "a string") { value in
            if case .string(let text) = value { return text }
            return nil
        }
    }

    /// A boolean field.
    mutating func bool(_ key: String) -> FieldPatch<Bool?> {
        field(key, expected: "a boolean") { value in
            if case .bool(let flag) = value { return flag }
            return nil
        }
    }

    /// An id field (a UUID string).
    mutating func id<Kind>(_ key: String, as _: Kind.Type = Kind.self) -> FieldPatch<Identifier<Kind>?> {
        field(key, expected: "a UUID") { value in
            if case .string(let text) = value { return Identifier<Kind>(text) }
            return nil
        }
    }

    /// An RFC 3339 time stamp field.
    mutating func date(_ key: String) -> FieldPatch<Date?> {
        field(key, expected: "an RFC 3339 time stamp") { value in
            if case .string(let text) = value { return Timestamp.parse(text) }
            return nil
        }
    }

    /// A field holding one of an enumeration's raw values.
    mutating func choice<Value: RawRepresentable & CaseIterable & Sendable>(
        _ key: String, as _: Value.Type = Value.self
    ) -> FieldPatch<Value?>
    where Value.RawValue == String {
        field(key, expected: "one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))") { value in
            if case .string(let text) = value { return Value(rawValue: text) }
            return nil
        }
    }

    /// An array of strings.
    mutating func strings(_ key: String) -> FieldPatch<[String]?> {
        field(key, expected: "an array of strings") { value in
            guard case .array(let items) = value else { return nil }
            var texts: [String] = []
            for item in items {
                guard case .string(let text) = item else { return nil }
                texts.append(text)
            }
            return texts
        }
    }

    /// The value of a field that must be present and not `null`; records an error otherwise.
    mutating func required<Value>(_ key: String, _ patch: FieldPatch<Value?>) -> Value? {
        switch patch {
        case .set(.some(let value)): return value
        case .set(.none):
            if !errors.all.contains(where: { $0.field == key }) { errors.add(key, "must not be null") }
            return nil
        case .unchanged:
            if !errors.all.contains(where: { $0.field == key }) { errors.add(key, "is required") }
            return nil
        }
    }

    /// A field that may be left out but not set to `null`: records "must not be null" for `null`.
    mutating func nonNull<Value>(_ key: String, _ patch: FieldPatch<Value?>) -> FieldPatch<Value> {
        switch patch {
        case .unchanged:
            return .unchanged
        case .set(.some(let value)):
            return .set(value)
        case .set(.none):
            errors.add(key, "must not be null")
            return .unchanged
        }
    }

    /// The value a patch sets, or `nil` when it leaves the field unchanged.
    func value<Value>(_ patch: FieldPatch<Value>) -> Value? {
        if case .set(let value) = patch { return value }
        return nil
    }

    /// The value of an optional field: `nil` when absent or `null`.
    func optional<Value>(_ patch: FieldPatch<Value?>) -> Value? {
        if case .set(let value) = patch { return value }
        return nil
    }

    private mutating func field<Value>(
        _ key: String, expected: @autoclosure () -> String, _ convert: (JSONValue) -> Value?
    ) -> FieldPatch<Value?> {
        guard let value = fields[key] else { return .unchanged }
        if value == .null { return .set(nil) }
        guard let converted = convert(value) else {
            errors.add(key, "must be \(expected())")
            return .unchanged
        }
        return .set(converted)
    }
}
