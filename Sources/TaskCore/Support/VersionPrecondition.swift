/// What a write requires of the current version of the resource it changes: the client's `If-Match`.
///
/// A resource's tag is its version (`7`), or for a workspace its version and the caller's role (`7-owner`). The
/// condition holds when it names the current tag, or any existing version (`*`).
public struct VersionPrecondition: Sendable, Equatable {
    /// Whether any existing version will do (`If-Match: *`).
    public var matchesAny: Bool
    /// The tags the client accepts, without quotes; a weak tag is never among them (RFC 9110 strong comparison).
    public var tags: Set<String>

    /// Creates a condition.
    public init(matchesAny: Bool = false, tags: Set<String> = []) {
        self.matchesAny = matchesAny
        self.tags = tags
    }

    /// The condition that the version is exactly `version`.
    public static func version(_ version: Int) -> VersionPrecondition {
        VersionPrecondition(tags: ["\(version)"])
    }

    /// Whether a resource whose tag is `tag` satisfies the condition.
    public func isSatisfied(byTag tag: String) -> Bool {
        matchesAny || tags.contains(tag)
    }

    /// Throws `versionMismatch` with the current tag unless the condition holds (or there is none).
    public static func check(_ condition: VersionPrecondition?, currentTag tag: String) throws {
        guard let condition, !condition.isSatisfied(byTag: tag) else { return }
        throw DomainError.versionMismatch(currentTag: tag)
    }
}
