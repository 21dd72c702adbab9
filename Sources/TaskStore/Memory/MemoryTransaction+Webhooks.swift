import TaskCore

extension MemoryTransaction {
    func insertWebhook(_ webhook: Webhook) async throws {
        await write { $0.webhooks[webhook.id] = webhook }
    }

    func webhook(_ id: WebhookID, in workspaceID: WorkspaceID) async throws -> Webhook? {
        await read { state in state.webhooks[id].flatMap { $0.workspaceID == workspaceID ? $0 : nil } }
    }

    func updateWebhook(_ webhook: Webhook) async throws {
        try await write { state in
            guard let old = state.webhooks[webhook.id] else { throw DomainError.notFound(.webhook) }
            state.webhooks[webhook.id] = webhook
            guard webhook.isEnabled != old.isEnabled else { return }
            if !webhook.isEnabled {
                // Its fresh deliveries wait in the table from now on, set aside with the others.
                for stored in Array(state.deliveryQueue.waitingFresh) where stored.delivery.webhookID == webhook.id {
                    state.moveAhead(stored)
                    state.deliveryQueue.park(stored.delivery.id, of: webhook.id)
                }
            }
            // Parked while disabled: pending, with no next attempt; due again when enabled.
            for stored in state.deliveries.values
            where stored.delivery.webhookID == webhook.id && stored.delivery.status == .pending {
                state.deliveries[stored.delivery.id]?.delivery.nextAttemptAt =
                    webhook.isEnabled ? webhook.updatedAt : nil
            }
            if webhook.isEnabled { state.deliveryQueue.unpark(webhook.id, at: webhook.updatedAt) }
        }
    }

    func deleteWebhook(_ id: WebhookID) async throws {
        await write { state in state.removeWebhooks { $0.id == id } }
    }

    func webhooks(in workspaceID: WorkspaceID, after: PagePosition?, limit: Int) async throws -> [Webhook] {
        await read { state in
            MemoryPaging.page(
                state.webhooks.values.filter { $0.workspaceID == workspaceID }, after: after, limit: limit
            ) { PagePosition(value: .date($0.createdAt), id: $0.id.uuid) }
        }
    }
}
