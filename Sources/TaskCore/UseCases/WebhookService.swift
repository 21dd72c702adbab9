import Foundation

/// A workspace's webhooks, managed by its `owner`s and `admin`s.
public struct WebhookService: Sendable {
    /// How long the previous secret still signs after a rotation.
    public static let rotationOverlap: TimeInterval = 24 * 60 * 60

    let store: any DataStore
    let targets: WebhookTargetPolicy
    let secrets: any WebhookSecretMaker
    let now: Now
    let ids: any IDGenerator
    /// Rung when a ping or a redelivery is queued, to wake this process's delivery worker at once.
    public let attemptsDue: EventSignal

    /// Creates the service.
    public init(
        store: any DataStore, targets: WebhookTargetPolicy, secrets: any WebhookSecretMaker = RandomWebhookSecrets(),
        now: @escaping Now = systemNow, ids: any IDGenerator = RandomIDGenerator(),
        attemptsDue: EventSignal = EventSignal()
    ) {
        self.store = store
        self.targets = targets
        self.secrets = secrets
        self.now = now
        self.ids = ids
        self.attemptsDue = attemptsDue
    }

    /// Creates a webhook; the answer holds its secret, which is never shown again.
    /// - Throws: `.notFound(.workspace)`, `.forbidden`, `.validation` naming `url`, `events`, `project_id` or
    ///   `description`.
    public func create(_ claim: some CallerClaim, in workspaceID: WorkspaceID, _ input: NewWebhook) async throws
        -> Webhook
    {
        try await store.transaction { tx in try await Self.authorize(claim, workspaceID, tx) }
        var errors = FieldErrors()
        let events = try await Self.collect(&errors) { try WebhookEvents(names: input.events) }
        let description = TextRules.trimmed(
            input.description ?? "", field: "description", length: FieldLimits.webhookDescription, into: &errors)
        let url = try await Self.collect(&errors) { try await targets.check(input.url) }
        try errors.throwIfAny()
        let at = now()
        let webhook = Webhook(
            id: ids.make(), workspaceID: workspaceID, url: url?.absoluteString ?? input.url, events: events ?? .all,
            projectID: input.projectID, description: description ?? "", secret: secrets.make(), createdAt: at,
            updatedAt: at)
        return try await store.transaction { tx in
            try await Self.authorize(claim, workspaceID, tx)
            try await Self.requireProject(input.projectID, in: workspaceID, tx)
            try await tx.insertWebhook(webhook)
            return webhook
        }
    }

    /// A workspace's webhooks, oldest first.
    public func webhooks(_ claim: some CallerClaim, in workspaceID: WorkspaceID, page: PageRequest) async throws
        -> Page<Webhook>
    {
        let after = try PageCursor.position(from: page.cursor, ordering: Self.ordering)
        let rows = try await store.transaction { tx in
            try await Self.authorize(claim, workspaceID, tx)
            return try await tx.webhooks(in: workspaceID, after: after, limit: page.limit + 1)
        }
        return Page.from(rows: rows, limit: page.limit, ordering: Self.ordering) {
            PagePosition(value: .date($0.createdAt), id: $0.id.uuid)
        }
    }

    /// One webhook. - Throws: `.notFound(.webhook)`.
    public func webhook(_ claim: some CallerClaim, in workspaceID: WorkspaceID, id: WebhookID) async throws -> Webhook {
        try await store.transaction { tx in
            try await Self.authorize(claim, workspaceID, tx)
            guard let webhook = try await tx.webhook(id, in: workspaceID) else { throw DomainError.notFound(.webhook) }
            return webhook
        }
    }

    /// Changes a webhook, checking `If-Match` after visibility (404) and permission (403) and before reading the
    /// change (`input`, 422). A new URL is checked like a new webhook's.
    public func update(
        _ claim: some CallerClaim, in workspaceID: WorkspaceID, id: WebhookID, precondition: VersionPrecondition?,
        _ input: @escaping @Sendable () throws -> WebhookPatch
    ) async throws -> Webhook {
        let patch = try await store.transaction { tx in
            try await Self.authorize(claim, workspaceID, tx)
            guard let webhook = try await tx.webhook(id, in: workspaceID) else { throw DomainError.notFound(.webhook) }
            try VersionPrecondition.check(precondition, currentTag: "\(webhook.version)")
            return try input()
        }
        var errors = FieldErrors()
        var events: WebhookEvents?
        if case .set(let names) = patch.events {
            events = try await Self.collect(&errors) { try WebhookEvents(names: names) }
        }
        var description: String?
        if case .set(let text) = patch.description {
            description = TextRules.trimmed(
                text, field: "description", length: FieldLimits.webhookDescription, into: &errors)
        }
        var url: URL?
        if case .set(let text) = patch.url { url = try await Self.collect(&errors) { try await targets.check(text) } }
        try errors.throwIfAny()
        let at = now()
        let (newURL, newEvents, newDescription) = (url, events, description)
        return try await store.transaction { tx in
            try await Self.authorize(claim, workspaceID, tx)
            guard var webhook = try await tx.lockWebhook(id, in: workspaceID) else {
                throw DomainError.notFound(.webhook)
            }
            try VersionPrecondition.check(precondition, currentTag: "\(webhook.version)")
            let before = webhook
            if case .set(let projectID) = patch.projectID {
                try await Self.requireProject(projectID, in: workspaceID, tx)
                webhook.projectID = projectID
            }
            if let newURL { webhook.url = newURL.absoluteString }
            if let newEvents { webhook.events = newEvents }
            if let newDescription { webhook.description = newDescription }
            if case .set(let enabled) = patch.isEnabled, enabled != webhook.isEnabled {
                webhook.isEnabled = enabled
                // Enabled again: a fresh start, with no reason and no failure streak.
                webhook.disabledReason = nil
                webhook.failingSince = nil
            }
            guard webhook != before else { return webhook }
            webhook.updatedAt = at
            webhook.version += 1
            try await tx.updateWebhook(webhook)
            return webhook
        }
    }

    /// Deletes a webhook. - Throws: `.notFound(.webhook)`, `.forbidden`, `.versionMismatch`.
    public func delete(
        _ claim: some CallerClaim, in workspaceID: WorkspaceID, id: WebhookID, precondition: VersionPrecondition? = nil
    ) async throws {
        try await store.transaction { tx in
            try await Self.authorize(claim, workspaceID, tx)
            guard let webhook = try await tx.lockWebhook(id, in: workspaceID) else {
                throw DomainError.notFound(.webhook)
            }
            try VersionPrecondition.check(precondition, currentTag: "\(webhook.version)")
            try await tx.deleteWebhook(id)
        }
    }

    /// Gives a webhook a new secret; the previous one still signs for `rotationOverlap`. The answer holds the new
    /// secret, which is never shown again.
    public func rotateSecret(
        _ claim: some CallerClaim, in workspaceID: WorkspaceID, id: WebhookID, precondition: VersionPrecondition? = nil
    ) async throws -> Webhook {
        let at = now()
        let secret = secrets.make()
        return try await store.transaction { tx in
            try await Self.authorize(claim, workspaceID, tx)
            guard var webhook = try await tx.lockWebhook(id, in: workspaceID) else {
                throw DomainError.notFound(.webhook)
            }
            try VersionPrecondition.check(precondition, currentTag: "\(webhook.version)")
            webhook.previousSecret = webhook.secret
            webhook.previousSecretExpiresAt = at.addingTimeInterval(Self.rotationOverlap)
            webhook.secret = secret
            webhook.updatedAt = at
            webhook.version += 1
            try await tx.updateWebhook(webhook)
            return webhook
        }
    }

    private static let ordering = "webhooks"

    /// The caller the claim stands for, read with the workspace (one statement on PostgreSQL), which must be
    /// visible (404) and where the caller must be an `admin`+ (403).
    @discardableResult
    static func authorize(_ claim: some CallerClaim, _ workspaceID: WorkspaceID, _ tx: any StoreTransaction)
        async throws -> Caller
    {
        let (_, role, caller) = try await tx.claimedWorkspace(workspaceID, by: claim)
        guard AccessPolicy.canManageWebhooks(role) else { throw DomainError.forbidden }
        return caller
    }

    /// A webhook's project must be one of its workspace's. - Throws: `.validation` naming `project_id`.
    private static func requireProject(_ projectID: ProjectID?, in workspaceID: WorkspaceID, _ tx: any StoreTransaction)
        async throws
    {
        guard let projectID else { return }
        guard let project = try await tx.project(projectID), project.workspaceID == workspaceID else {
            throw DomainError.invalid("project_id", "does not name a project of this workspace")
        }
    }

    /// The value `read` returns, or `nil` with its field errors added to `errors`; any other error is thrown.
    private static func collect<Value>(_ errors: inout FieldErrors, _ read: () async throws -> Value) async throws
        -> Value?
    {
        do {
            return try await read()
        } catch DomainError.validation(let found) {
            for error in found { errors.add(error.field, error.message) }
            return nil
        }
    }
}
