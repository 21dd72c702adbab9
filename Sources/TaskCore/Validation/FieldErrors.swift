/// Collects field errors while an input is checked, so that a client learns every fault at once.
public struct FieldErrors: Sendable, Equatable {
    /// The errors found so far, in the order they were found.
    public private(set) var all: [FieldError] = []

    /// Creates an empty collection.
    public init() {}

    /// Whether no error has been found.
    public var isEmpty: Bool { all.isEmpty }

    /// Records that `field` breaks a rule.
    public mutating func add(_ field: String, _ message: String) {
        all.append(FieldError(field: field, message: message))
    }

    /// Adds every error of a thrown validation error; rethrows any other error.
    public mutating func collect<T>(_ body: () throws -> T) rethrows -> T? {
        do {
            return try body()
        } catch let DomainError.validation(errors) {
            all.append(contentsOf: errors)
            return nil
        }
    }

    /// Adds errors found elsewhere.
    public mutating func collect(_ errors: [FieldError]) {
        all.append(contentsOf: errors)
    }

    /// Throws `DomainError.validation` when any error was found.
    public func throwIfAny() throws {
        if !all.isEmpty { throw DomainError.validation(all) }
    }
}
