import Foundation

/// The text rules of the contract: text is trimmed first, lengths count Unicode scalars (as PostgreSQL counts
/// characters), and no string may hold a NUL character.
public enum TextRules {
    /// The trimmed text when it is within `length`; otherwise records why not and returns `nil`.
    public static func trimmed(
        _ text: String,
        field: String,
        length: ClosedRange<Int>,
        into errors: inout FieldErrors
    ) -> String? {
        if text.unicodeScalars.contains("\u{0}") {
            errors.add(field, "must not contain a NUL character")
            return nil
        }
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let count = value.unicodeScalars.count
        if count < length.lowerBound {
            errors.add(
                field, length.lowerBound == 1 ? "must not be empty" : "must be at least \(length.lowerBound) characters"
            )
            return nil
        }
        if count > length.upperBound {
            errors.add(field, "must be at most \(length.upperBound) characters")
            return nil
        }
        return value
    }

    /// Throwing form of `trimmed(_:field:length:into:)` for a single field.
    public static func trimmed(_ text: String, field: String, length: ClosedRange<Int>) throws -> String {
        var errors = FieldErrors()
        guard let value = trimmed(text, field: field, length: length, into: &errors) else {
            throw DomainError.validation(errors.all)
        }
        return value
    }
}

/// The length limits of the contract, in one place.
public enum FieldLimits {
    /// User, workspace and project names.
    public static let name = 1...200
    /// Task titles.
    public static let title = 1...500
    /// Task and project descriptions (may be empty).
    public static let description = 0...65_536
    /// How many tags a task may have.
    public static let tagCount = 20
    /// One tag.
    public static let tag = 1...50
    /// Comment bodies.
    public static let commentBody = 1...10_000
    /// Email addresses.
    public static let email = 1...254
    /// Passwords, in UTF-8 bytes (bcrypt reads at most 72).
    public static let passwordBytes = 8...72
    /// Different words in a task search (`q`): each adds two `LIKE` tests over titles and descriptions.
    public static let searchWords = 16
    /// Webhook target URLs, in UTF-8 bytes.
    public static let webhookURL = 1...2048
    /// Webhook descriptions (may be empty).
    public static let webhookDescription = 0...1000
    /// Page sizes.
    public static let pageSize = 1...100
    /// The page size when a client names none.
    public static let defaultPageSize = 20
}
