import TaskCore

/// The bodies of the webhook routes.
enum WebhookRequests {
    /// `{url, events, project_id?, description?}`. - Throws: `DomainError.validation` naming each bad field.
    static func newWebhook(_ body: JSONBody) throws -> NewWebhook {
        var body = body
        let url = body.required("url", body.string("url"))
        let events = body.required("events", body.strings("events"))
        let projectID = body.optional(body.id("project_id", as: IDKind.Project.self))
        let description = body.optional(body.string("description"))
        guard let url, let events, body.isValid else { throw body.failure() }
        return NewWebhook(url: url, events: events, projectID: projectID, description: description)
    }

    /// `PATCH`: `url`, `events`, `project_id` (`null` for every project), `description`, `enabled`.
    static func patch(_ body: JSONBody) throws -> WebhookPatch {
        var body = body
        let patch = WebhookPatch(
            url: body.nonNull("url", body.string("url")), events: body.nonNull("events", body.strings("events")),
            projectID: body.id("project_id", as: IDKind.Project.self),
            description: body.nonNull("description", body.string("description")),
            isEnabled: body.nonNull("enabled", body.bool("enabled")))
        try body.finish()
        return patch
    }
}
