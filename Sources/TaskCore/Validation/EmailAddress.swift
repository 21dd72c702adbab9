/// A syntactically valid email address, trimmed and lower-cased, as taskd stores it.
public struct EmailAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The normalised address.
    public let value: String

    /// Validates and normalises `text`.
    /// - Throws: `DomainError.validation` naming `field` when the address is not acceptable.
    public init(_ text: String, field: String = "email") throws {
        var errors = FieldErrors()
        guard let trimmed = TextRules.trimmed(text, field: field, length: FieldLimits.email, into: &errors) else {
            throw DomainError.validation(errors.all)
        }
        let lowered = trimmed.lowercased()
        guard Self.isWellFormed(lowered) else { throw DomainError.invalid(field, "must be a valid email address") }
        value = lowered
    }

    /// What is wrong with `text` as an address for `field`; empty when it is acceptable.
    public static func errors(of text: String, field: String = "email") -> [FieldError] {
        do {
            _ = try EmailAddress(text, field: field)
            return []
        } catch DomainError.validation(let errors) {
            return errors
        } catch {
            return []
        }
    }

    /// Wraps a value already normalised, such as one read back from a store.
    public init(normalized: String) {
        value = normalized
    }

    /// Reads an address already normalised (as stored).
    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(String.self)
    }

    /// Writes the normalised address.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    /// The normalised address.
    public var description: String { value }

    /// One `@`, a local part of 1...64 printable characters without spaces, and a domain of dot-separated
    /// labels (letters, digits, hyphens; not starting or ending with a hyphen) with at least one dot.
    static func isWellFormed(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let local = parts[0]
        let domain = parts[1]
        guard (1...64).contains(local.utf8.count) else { return false }
        let localAllowed = local.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value != 0x7F && !"()<>[]:;,\\\"".unicodeScalars.contains(scalar)
        }
        guard localAllowed, !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            guard (1...63).contains(label.count), !label.hasPrefix("-"), !label.hasSuffix("-") else { return false }
            return label.unicodeScalars.allSatisfy { scalar in
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-"
            }
        }
    }
}
