import Foundation

/// Makes the UUIDs behind new identifiers; injected so that tests can make predictable ones.
public protocol IDGenerator: Sendable {
    /// Returns a UUID never returned before by this generator.
    func next() -> UUID
}

extension IDGenerator {
    /// Makes a new typed identifier.
    public func make<Kind>(_: Kind.Type = Kind.self) -> Identifier<Kind> {
        Identifier(next())
    }
}

/// The production generator: random (version 4) UUIDs.
public struct RandomIDGenerator: IDGenerator {
    /// Creates the generator.
    public init() {}

    /// A new random UUID.
    public func next() -> UUID { UUIDText.random() }
}
