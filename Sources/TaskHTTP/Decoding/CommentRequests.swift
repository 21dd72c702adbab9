import TaskCore

/// The body of a new or edited comment.
enum CommentRequests {
    /// `{body}`. - Throws: `DomainError.validation` naming `body`.
    static func body(_ json: JSONBody) throws -> String {
        var json = json
        let text = json.required("body", json.string("body"))
        guard let text, json.isValid else { throw json.failure() }
        return text
    }
}
