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
    /// change (`input`, 422). A new URL is checked like a new webhook's, outside any transaction (it may be
    /// resolved): the change is then read in a first transaction and applied in a second. A change without a new
    /// URL is read and applied in one.
    public func update(
        _ claim: some CallerClaim, in workspaceID: WorkspaceID, id: WebhookID, precondition: VersionPrecondition?,
        _ input: @escaping @Sendable () throws -> WebhookPatch
    ) async throws -> Webhook {
        let at = now()
        // Read once; a bad change is thrown only where the checks before it have passed.
        let decoded = Result { try input() }
        if case .success(let patch) = decoded, case .unchanged = patch.url {
            return try await store.transaction { tx in
                try await Self.change(
                    claim, workspaceID, id, precondition, at: at, tx: tx, { try Self.checked(patch, url: nil) })
            }
        }
        let patch = try await store.transaction { tx in
            try await Self.authorize(claim, workspaceID, tx)
            guard let webhook = try await tx.webhook(id, in: workspaceID) else { throw DomainError.notFound(.webhook) }
            try VersionPrecondition.check(precondition, currentTag: "\(webhook.version)")
            return try decoded.get()
        }
        var url: URL?
        var urlErrors = FieldErrors()
        if case .set(let text) = patch.url {
            url = try await Self.collect(&urlErrors) { try await targets.check(text) }
        }
        let checked = try Self.checked(patch, url: url, urlErrors: urlErrors)
        return try await store.transaction { tx in
            try await Self.change(claim, workspaceID, id, precondition, at: at, tx: tx, { checked })
        }
    }

    /// A patch whose events and description are checked, with its URL checked already (`url`, `errors`).
    private struct CheckedPatch: Sendable {
        var patch: WebhookPatch
        var url: URL?
        var events: WebhookEvents?
        var description: String?
    }

    /// `patch` with its events and description checked, the URL's errors (`urlErrors`) after theirs.
    /// - Throws: `.validation` naming every bad field.
    private static func checked(_ patch: WebhookPatch, url: URL?, urlErrors: FieldErrors = FieldErrors()) throws
        -> CheckedPatch
    {
        var errors = FieldErrors()
        var events: WebhookEvents?
        if case .set(let names) = patch.events { events = try errors.collect { try WebhookEvents(names: names) } }
        var description: String?
        if case .set(let text) = patch.description {
            description = TextRules.trimmed(
                text, field: "description", length: FieldLimits.webhookDescription, into: &errors)
        }
        errors.collect(urlErrors.all)
        try errors.throwIfAny()
        return CheckedPatch(patch: patch, url: url, events: events, description: description)
    }

    /// Applies a checked change to the locked webhook, after the same checks as the change's first read: the
    /// workspace (404, 403), the webhook (404), `If-Match` (412), then the change (`checked`, 422).
    private static func change(
        _ claim: some CallerClaim, _ workspaceID: WorkspaceID, _ id: WebhookID, _ precondition: VersionPrecondition?,
        at: Date, tx: any StoreTransaction, _ checked: () throws -> CheckedPatch
    ) async throws -> Webhook {
        try await authorize(claim, workspaceID, tx)
        guard var webhook = try await tx.lockWebhook(id, in: workspaceID) else { throw DomainError.notFound(.webhook) }
        try VersionPrecondition.check(precondition, currentTag: "\(webhook.version)")
        let change = try checked()
        let before = webhook
        if case .set(let projectID) = change.patch.projectID {
            try await requireProject(projectID, in: workspaceID, tx)
            webhook.projectID = projectID
        }
        if let url = change.url { webhook.url = url.absoluteString }
        if let events = change.events { webhook.events = events }
        if let description = change.description { webhook.description = description }
        if case .set(let enabled) = change.patch.isEnabled, enabled != webhook.isEnabled {
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
