import TaskCore

/// The body of `POST /api/v1/users/me/tokens`.
enum PersonalTokenRequests {
    /// `{name, scopes, expires_at, workspace_ids?}`; the rules (known scopes, expiry within 366 days) are the use
    /// case's. - Throws: `DomainError.validation` naming each field of the wrong type.
    static func newToken(_ body: JSONBody) throws -> NewPersonalToken {
        var body = body
        let name = body.required("name", body.string("name"))
        let scopes = body.required("scopes", body.strings("scopes"))
        let expiresAt = body.optional(body.date("expires_at"))
        let workspaceIDs = body.optional(body.strings("workspace_ids"))
        guard let name, let scopes, body.isValid else { throw body.failure() }
        return NewPersonalToken(name: name, scopes: scopes, expiresAt: expiresAt, workspaceIDs: workspaceIDs)
    }
}
