import Foundation
import TaskCore

/// Reads query parameters, collecting a field error for each bad value (422 naming the parameter).
struct QueryReader {
    private let query: QueryString
    private(set) var errors = FieldErrors()

    /// Reads the raw (percent-encoded) query of a request URI, without the `?`.
    init(_ rawQuery: String?) {
        query = QueryString(rawQuery)
    }

    private mutating func value(_ name: String) -> String? {
        do {
            return try query.value(name)
        } catch {
            errors.add(name, "must be UTF-8 text")
            return nil
        }
    }

    /// A text parameter.
    mutating func string(_ name: String) -> String? { value(name) }

    /// An id parameter.
    mutating func id<Kind>(_ name: String, as _: Kind.Type = Kind.self) -> Identifier<Kind>? {
        guard let text = value(name) else { return nil }
        guard let id = Identifier<Kind>(text) else {
            errors.add(name, "must be a UUID")
            return nil
        }
        return id
    }

    /// A `true`/`false` parameter.
    mutating func bool(_ name: String) -> Bool? {
        guard let text = value(name) else { return nil }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default:
            errors.add(name, "must be true or false")
            return nil
        }
    }

    /// A parameter holding an enumeration's raw value.
    mutating func choice<Value: RawRepresentable & CaseIterable>(_ name: String, as _: Value.Type = Value.self)
        -> Value?
    where Value.RawValue == String {
        guard let text = value(name) else { return nil }
        guard let choice = Value(rawValue: text) else {
            errors.add(name, "must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return choice
    }

    /// A whole number parameter (its range is checked where it is used).
    mutating func integer(_ name: String) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text) else {
            errors.add(name, "must be an integer")
            return nil
        }
        return number
    }

    /// An RFC 3339 parameter.
    mutating func date(_ name: String) -> Date? {
        guard let text = value(name) else { return nil }
        guard let date = Timestamp.parse(text) else {
            errors.add(name, "must be an RFC 3339 time stamp")
            return nil
        }
        return date
    }

    /// `limit` and `cursor`.
    mutating func page() -> PageRequest? {
        var limit: Int?
        if let text = value("limit") {
            guard let number = Int(text) else {
                errors.add("limit", "must be an integer between 1 and 100")
                return nil
            }
            limit = number
        }
        let cursor = value("cursor")
        do {
            return try PageRequest(limit: limit, cursor: cursor)
        } catch {
            errors.add(
                "limit", "must be between \(FieldLimits.pageSize.lowerBound) and \(FieldLimits.pageSize.upperBound)")
            return nil
        }
    }

    /// Records an error found elsewhere.
    mutating func add(_ error: FieldError) {
        errors.add(error.field, error.message)
    }

    /// Throws the collected errors as a 422.
    func finish() throws {
        try errors.throwIfAny()
    }
}

extension QueryReader {
    /// The `limit` and `cursor` of a list that takes no other parameter.
    /// - Throws: `DomainError.validation` naming the bad parameter.
    static func page(_ rawQuery: String?) throws -> PageRequest {
        var query = QueryReader(rawQuery)
        let page = query.page()
        try query.finish()
        return page ?? .first
    }
}
