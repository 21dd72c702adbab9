import Foundation

/// A subscription of a URL to a workspace's events: every committed event that matches it is delivered to the URL,
/// signed with its secret.
public struct Webhook: Sendable, Equatable {
    /// The webhook's id.
    public var id: WebhookID
    /// The workspace whose events it receives.
    public var workspaceID: WorkspaceID
    /// Where events are delivered (`https`, unless the server allows `http`).
    public var url: String
    /// Which kinds of events it receives.
    public var events: WebhookEvents
    /// When set, only the events of this project.
    public var projectID: ProjectID?
    /// Free text for people (may be empty).
    public var description: String
    /// A disabled webhook receives nothing; events while it is disabled are not queued for it.
    public var isEnabled: Bool
    /// Why the server disabled it, if it did.
    public var disabledReason: String?
    /// The signing secret (`whsec_` + base64 of 32 random bytes).
    public var secret: String
    /// The secret before the last rotation, still used to sign until `previousSecretExpiresAt`.
    public var previousSecret: String?
    /// When the previous secret stops being used.
    public var previousSecretExpiresAt: Date?
    /// Since when every attempt to deliver to it has failed; `nil` after a success. A webhook failing for
    /// `WebhookDeliverySettings.disableAfter` is disabled.
    public var failingSince: Date?
    /// When it was created.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// 1 when created, one more after each change that changes something; its `ETag` is made from it.
    public var version: Int

    /// Creates a webhook value.
    public init(
        id: WebhookID, workspaceID: WorkspaceID, url: String, events: WebhookEvents, projectID: ProjectID? = nil,
        description: String = "", isEnabled: Bool = true, disabledReason: String? = nil, secret: String,
        previousSecret: String? = nil, previousSecretExpiresAt: Date? = nil, failingSince: Date? = nil,
        createdAt: Date, updatedAt: Date, version: Int = 1
    ) {
        self.id = id
        self.workspaceID = workspaceID
        self.url = url
        self.events = events
        self.projectID = projectID
        self.description = description
        self.isEnabled = isEnabled
        self.disabledReason = disabledReason
        self.secret = secret
        self.previousSecret = previousSecret
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.failingSince = failingSince
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

extension Webhook {
    /// The secrets that sign a message sent at `date`: the current one, and the previous one while its overlap
    /// lasts.
    public func signingSecrets(at date: Date) -> [String] {
        guard let previousSecret, let expiry = previousSecretExpiresAt, date < expiry else { return [secret] }
        return [secret, previousSecret]
    }

    /// Whether an event is one this webhook receives: of one of its kinds and, when it names a project, in that
    /// project's feed.
    public func receives(_ event: ActivityEvent) -> Bool {
        if let projectID, !event.isInFeed(of: projectID) { return false }
        switch events {
        case .all: return true
        case .kinds(let kinds): return kinds.contains(event.kind)
        }
    }
}

/// The kinds of events a webhook receives: every kind (`["*"]`), or some.
public enum WebhookEvents: Sendable, Equatable {
    /// Every kind, including kinds added later.
    case all
    /// These kinds (never empty).
    case kinds(Set<ActivityEventKind>)

    /// As the API and the store write it: `["*"]`, or the kinds sorted.
    public var names: [String] {
        switch self {
        case .all: ["*"]
        case .kinds(let kinds): kinds.map(\.rawValue).sorted()
        }
    }

    /// Reads the API's list. - Throws: `DomainError.validation` naming `events` for an empty list, an unknown
    /// kind, or `*` with other kinds.
    public init(names: [String]) throws {
        let invalid = DomainError.invalid("events", "must list event kinds, or be [\"*\"] for every kind")
        if names == ["*"] {
            self = .all
            return
        }
        let kinds = names.compactMap(ActivityEventKind.init(rawValue:))
        guard !names.isEmpty, kinds.count == names.count else { throw invalid }
        self = .kinds(Set(kinds))
    }
}
