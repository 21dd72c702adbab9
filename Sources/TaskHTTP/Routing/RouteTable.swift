import HTTPTypes

/// Every route the router serves, as `(method, path)` with `{name}` parameters. It answers 405 for a known
/// path with another method, and the OpenAPI test compares it with `docs/openapi.yaml`.
public struct RouteTable: Sendable {
    /// One route.
    public struct Entry: Sendable, Hashable {
        /// The method.
        public let method: HTTPRequest.Method
        /// The path, with `{name}` for parameters.
        public let path: String
    }

    /// The routes, in the order they were added.
    public let entries: [Entry]

    /// The methods of every route whose path template matches `path`.
    func methods(matching path: String) -> Set<HTTPRequest.Method> {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods: Set<HTTPRequest.Method> = []
        for entry in entries {
            let template = entry.path.split(separator: "/", omittingEmptySubsequences: true)
            guard template.count == segments.count else { continue }
            let matches = zip(template, segments).allSatisfy { pattern, segment in
                pattern.hasPrefix("{") || pattern == segment
            }
            if matches { methods.insert(entry.method) }
        }
        return methods
    }
}
