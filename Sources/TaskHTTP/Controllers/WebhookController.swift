import Hummingbird
import TaskCore

/// `/api/v1/workspaces/{id}/webhooks/*`: a workspace's webhooks, for its `owner`s and `admin`s.
struct WebhookController: Sendable {
    let webhooks: WebhookService

    var routes: [Route] {
        [
            .claimed(.post, "/api/v1/workspaces/{id}/webhooks", create),
            .claimed(.get, "/api/v1/workspaces/{id}/webhooks", list),
            .claimed(.get, "/api/v1/workspaces/{id}/webhooks/{webhook_id}", read),
            .claimed(.patch, "/api/v1/workspaces/{id}/webhooks/{webhook_id}", update),
            .claimed(.delete, "/api/v1/workspaces/{id}/webhooks/{webhook_id}", delete),
            .claimed(.post, "/api/v1/workspaces/{id}/webhooks/{webhook_id}/rotate-secret", rotateSecret),
            .claimed(.post, "/api/v1/workspaces/{id}/webhooks/{webhook_id}/ping", ping),
            .claimed(.get, "/api/v1/workspaces/{id}/webhooks/{webhook_id}/deliveries", deliveries),
            .claimed(
                .get, "/api/v1/workspaces/{id}/webhooks/{webhook_id}/deliveries/{delivery_id}", delivery),
            .claimed(
                .post, "/api/v1/workspaces/{id}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver", redeliver),
        ]
    }

    func create(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let workspaceID: WorkspaceID = try context.pathID("id", .workspace)
        let input = try WebhookRequests.newWebhook(try await JSONBody.read(request, context: context.request))
        let webhook = try await webhooks.create(context.claim, in: workspaceID, input)
        return try Responses.tagged(
            WebhookSecretDTO(webhook), status: .created,
            location: "/api/v1/workspaces/\(workspaceID)/webhooks/\(webhook.id)")
    }

    func list(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let page = try QueryReader.page(request.uri.query)
        let list = try await webhooks.webhooks(context.claim, in: try context.pathID("id", .workspace), page: page)
        return try Responses.page(list, WebhookDTO.init)
    }

    func read(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let webhook = try await webhooks.webhook(
            context.claim, in: try context.pathID("id", .workspace), id: try context.pathID("webhook_id", .webhook))
        return try Responses.read(WebhookDTO(webhook), for: request)
    }

    func update(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let workspaceID: WorkspaceID = try context.pathID("id", .workspace)
        let id: WebhookID = try context.pathID("webhook_id", .webhook)
        let body = try await JSONBody.read(request, context: context.request)
        let webhook = try await webhooks.update(
            context.claim, in: workspaceID, id: id, precondition: Preconditions.ifMatch(request)
        ) { try WebhookRequests.patch(body) }
        return try Responses.tagged(WebhookDTO(webhook))
    }

    func delete(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try await webhooks.delete(
            context.claim, in: try context.pathID("id", .workspace), id: try context.pathID("webhook_id", .webhook),
            precondition: Preconditions.ifMatch(request))
        return Responses.noContent()
    }

    func rotateSecret(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let webhook = try await webhooks.rotateSecret(
            context.claim, in: try context.pathID("id", .workspace), id: try context.pathID("webhook_id", .webhook),
            precondition: Preconditions.ifMatch(request))
        return try Responses.tagged(WebhookSecretDTO(webhook))
    }

    func ping(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let delivery = try await webhooks.ping(
            context.claim, in: try context.pathID("id", .workspace), id: try context.pathID("webhook_id", .webhook))
        return try Responses.json(DeliveryDTO(delivery), status: .accepted)
    }

    func deliveries(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let page = try QueryReader.page(request.uri.query)
        let list = try await webhooks.deliveries(
            context.claim, in: try context.pathID("id", .workspace), of: try context.pathID("webhook_id", .webhook),
            page: page)
        return try Responses.page(list, DeliveryDTO.init)
    }

    func delivery(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let delivery = try await webhooks.delivery(
            context.claim, in: try context.pathID("id", .workspace), of: try context.pathID("webhook_id", .webhook),
            delivery: try context.pathID("delivery_id", .delivery))
        return try Responses.json(DeliveryDTO(delivery))
    }

    func redeliver(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let delivery = try await webhooks.redeliver(
            context.claim, in: try context.pathID("id", .workspace), of: try context.pathID("webhook_id", .webhook),
            delivery: try context.pathID("delivery_id", .delivery))
        return try Responses.json(DeliveryDTO(delivery), status: .accepted)
    }
}
