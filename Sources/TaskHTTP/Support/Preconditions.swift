import HTTPTypes
import Hummingbird
import TaskCore

/// The client's conditions on a write, read from its headers.
enum Preconditions {
    /// The `If-Match` of `request` as TaskCore checks it: `*`, or the strong tags it lists (a weak tag never
    /// matches a write). `nil` without the header.
    static func ifMatch(_ request: Request) -> VersionPrecondition? {
        guard let condition = EntityTagCondition(request.headers.value(of: .ifMatch)) else { return nil }
        return VersionPrecondition(
            matchesAny: condition.matchesAny, tags: Set(condition.tags.filter { !$0.isWeak }.map(\.opaque)))
    }

    /// The methods that change or delete a resource, which `TASKD_REQUIRE_IF_MATCH` makes conditional.
    static let conditionalMethods: Set<HTTPRequest.Method> = [.patch, .put, .delete]
}
