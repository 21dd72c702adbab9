import Foundation
import Yams

@testable import TaskHTTP

/// `docs/openapi.yaml`, read with a YAML parser, and a checker of JSON values against its schemas (the subset of
/// JSON Schema the document uses: `$ref`, `allOf`, `type` (one or a list), `properties`, `required`, `items`, `enum`,
/// `const`, `minLength`/`maxLength`, `minimum`/`maximum`, `maxItems`, `format: uuid` and `date-time`).
struct OpenAPIContract {
    /// One operation: a method and a path template.
    struct Operation: Hashable, CustomStringConvertible {
        let method: String
        let path: String
        var description: String { "\(method) \(path)" }
    }

    let document: [String: Any]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Reads `docs/openapi.yaml`.
    static func load() throws -> OpenAPIContract {
        let text = try String(contentsOf: root.appending(path: "docs/openapi.yaml"), encoding: .utf8)
        guard let document = try Yams.load(yaml: text) as? [String: Any] else {
            throw ContractError("the document is not a mapping")
        }
        return OpenAPIContract(document: document)
    }

    /// Every operation with its object.
    var operations: [Operation: [String: Any]] {
        var result: [Operation: [String: Any]] = [:]
        for (path, item) in document["paths"] as? [String: Any] ?? [:] {
            for (method, operation) in item as? [String: Any] ?? [:]
            where ["get", "post", "put", "patch", "delete"].contains(method) {
                result[Operation(method: method.uppercased(), path: path)] = operation as? [String: Any] ?? [:]
            }
        }
        return result
    }

    /// The schema of the answer `operation` documents for `status` and `contentType`, or why there is none.
    func responseSchema(_ operation: Operation, status: Int, contentType: String) throws -> [String: Any] {
        guard let object = operations[operation] else { throw ContractError("\(operation) is not documented") }
        let responses = object["responses"] as? [String: Any] ?? [:]
        guard let declared = responses[String(status)] else {
            throw ContractError("\(operation) does not document \(status)")
        }
        let response = try resolve(declared)
        let media =
            contentType.split(separator: ";").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        guard let content = response["content"] as? [String: Any], let entry = content[media] as? [String: Any] else {
            throw ContractError("\(operation) \(status) documents no \(media) body")
        }
        return try resolve(entry["schema"] ?? [:])
    }

    /// Follows `$ref` (`#/components/...`) until an object without one.
    func resolve(_ value: Any) throws -> [String: Any] {
        guard var object = value as? [String: Any] else { throw ContractError("not an object: \(value)") }
        while let reference = object["$ref"] as? String {
            var node: Any = document
            for part in reference.dropFirst(2).split(separator: "/") {
                guard let next = (node as? [String: Any])?[String(part)] else {
                    throw ContractError("dangling \(reference)")
                }
                node = next
            }
            guard let resolved = node as? [String: Any] else { throw ContractError("\(reference) is not an object") }
            object = resolved
        }
        return object
    }

    /// Every way `value` breaks `schema`, each with its JSON path.
    func violations(of value: JSONValue, against schema: [String: Any], at path: String = "$") throws -> [String] {
        let schema = try resolve(schema)
        var found: [String] = []
        for part in schema["allOf"] as? [[String: Any]] ?? [] {
            found += try violations(of: value, against: part, at: path)
        }
        if let types = schema["type"].map({ $0 as? [String] ?? [$0 as? String ?? ""] }),
            !types.contains(where: { Self.matches(value, type: $0) })
        {
            return ["\(path): \(value.typeName) is not \(types.joined(separator: " or "))"]
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { Self.equal($0, value) }) {
            found.append("\(path): \(value) is not one of \(allowed)")
        }
        if let constant = schema["const"], !Self.equal(constant, value) {
            found.append("\(path): \(value) is not \(constant)")
        }
        switch value {
        case .string(let text):
            let count = text.unicodeScalars.count
            if let minimum = schema["minLength"] as? Int, count < minimum {
                found.append("\(path): shorter than \(minimum)")
            }
            if let maximum = schema["maxLength"] as? Int, count > maximum {
                found.append("\(path): longer than \(maximum)")
            }
            switch schema["format"] as? String {
            case "uuid" where UUID(uuidString: text) == nil: found.append("\(path): \(text) is not a UUID")
            case "date-time" where text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) == nil:
                found.append("\(path): \(text) is not a UTC time stamp with milliseconds")
            default: break
            }
        case .number(let number):
            if let minimum = schema["minimum"] as? Int, number < Double(minimum) {
                found.append("\(path): below \(minimum)")
            }
            if let maximum = schema["maximum"] as? Int, number > Double(maximum) {
                found.append("\(path): above \(maximum)")
            }
        case .object(let object):
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                found.append("\(path): \(name) is missing")
            }
            for (name, property) in schema["properties"] as? [String: Any] ?? [:] {
                guard let member = object[name], let propertySchema = property as? [String: Any] else { continue }
                found += try violations(of: member, against: propertySchema, at: "\(path).\(name)")
            }
        case .array(let items):
            if let maximum = schema["maxItems"] as? Int, items.count > maximum {
                found.append("\(path): more than \(maximum) items")
            }
            if let itemSchema = schema["items"] as? [String: Any] {
                for (index, item) in items.enumerated() {
                    found += try violations(of: item, against: itemSchema, at: "\(path)[\(index)]")
                }
            }
        case .null, .bool:
            break
        }
        return found
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("number", .number), ("array", .array),
            ("object", .object):
            true
        case ("integer", .number(let number)): number == number.rounded()
        default: false
        }
    }

    /// Whether a value of the document (from YAML) equals a JSON value.
    private static func equal(_ expected: Any, _ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): (expected as? String) == text
        case .bool(let flag): (expected as? Bool) == flag
        case .number(let number): (expected as? Int).map { Double($0) == number } ?? ((expected as? Double) == number)
        case .null: expected is NSNull
        case .array, .object: false
        }
    }
}

/// Something in the document or an answer that breaks the contract.
struct ContractError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
