import Foundation
import HashTreeCollections
import TaskCore

/// Every row of the in-memory store. A value: a transaction keeps the state it started from to roll back.
///
/// The tables are persistent hash tries (`TreeDictionary`): keeping the old state costs nothing, and a write
/// copies O(log n) nodes instead of the whole table, so a write stays cheap however many rows there are.
struct MemoryState: Sendable {
    var users: TreeDictionary<UserID, User> = [:]
    var userIDsByEmail: TreeDictionary<String, UserID> = [:]
    var workspaces: TreeDictionary<WorkspaceID, Workspace> = [:]
    var workspaceMembers: TreeDictionary<WorkspaceID, [UserID: WorkspaceMember]> = [:]
    var projects: TreeDictionary<ProjectID, Project> = [:]
    var projectMembers: TreeDictionary<ProjectID, [UserID: ProjectMember]> = [:]
    var tasks = MemoryTaskTable()
    var comments: TreeDictionary<CommentID, Comment> = [:]
    /// Each task's events in append order.
    var eventsByTask: TreeDictionary<TaskID, [SequencedEvent]> = [:]
    /// Each workspace's feed: every event of the workspace in append order.
    var eventsByWorkspace: TreeDictionary<WorkspaceID, MemoryEventLog> = [:]
    /// Each project's feed: its events, and `task_moved` out of it, in append order.
    var eventsByProject: TreeDictionary<ProjectID, MemoryEventLog> = [:]
    var nextEventSequence = 1
    /// Whether the running transaction recorded events (readers waiting for some are woken when it commits).
    var hasNewEvents = false
    var refreshTokens: TreeDictionary<String, RefreshTokenRecord> = [:]
    var loginFailures: TreeDictionary<String, [Date]> = [:]
    var webhooks: TreeDictionary<WebhookID, Webhook> = [:]
    /// Every delivery but those waiting for their first attempt untouched, which only `deliveryQueue` holds.
    var deliveries: TreeDictionary<DeliveryID, MemoryDelivery> = [:]
    var deliveryQueue = MemoryDeliveryQueue()
    var personalTokens: TreeDictionary<PersonalTokenID, PersonalAccessToken> = [:]
    /// The unique index of tokens by digest.
    var personalTokenIDsByDigest: TreeDictionary<String, PersonalTokenID> = [:]

    /// A delivery by id, in the table or waiting for its first attempt.
    func delivery(_ id: DeliveryID) -> MemoryDelivery? {
        deliveries[id] ?? deliveryQueue.waitingFresh.first { $0.delivery.id == id }
    }

    /// Every delivery: the table's, then those waiting for their first attempt.
    var allDeliveries: some Sequence<MemoryDelivery> {
        [AnySequence(deliveries.values), AnySequence(deliveryQueue.waitingFresh)].joined()
    }

    /// Puts a delivery waiting for its first attempt in the table, as `stored`, ahead of its claim.
    mutating func moveAhead(_ stored: MemoryDelivery) {
        deliveryQueue.leaveFresh(stored.delivery.id)
        deliveries[stored.delivery.id] = stored
    }

    /// Removes the webhooks `isRemoved` picks, and their deliveries.
    mutating func removeWebhooks(where isRemoved: (Webhook) -> Bool) {
        let removed = Set(webhooks.values.filter(isRemoved).map(\.id))
        guard !removed.isEmpty else { return }
        webhooks = webhooks.filter { !removed.contains($0.key) }
        for stored in deliveries.values where removed.contains(stored.delivery.webhookID) {
            deliveries[stored.delivery.id] = nil
            deliveryQueue.remove(stored.delivery.id)
        }
        for stored in Array(deliveryQueue.waitingFresh) where removed.contains(stored.delivery.webhookID) {
            deliveryQueue.leaveFresh(stored.delivery.id)
        }
    }
}

/// A delivery as the memory store keeps it: with what it carries and its claim.
///
/// Its fields live in one immutable object, so that the value is one reference: every commit that changes a
/// delivery in the table copies the trie nodes on its path, and each copy retains every value of the node once
/// instead of each string and date inside it (a delivery and its event hold about a dozen). A change makes a new
/// object.
struct MemoryDelivery: Sendable {
    private final class Fields: Sendable {
        let delivery: WebhookDelivery
        let message: DeliveryMessage
        let lease: UUID?

        init(delivery: WebhookDelivery, message: DeliveryMessage, lease: UUID?) {
            self.delivery = delivery
            self.message = message
            self.lease = lease
        }
    }

    private var fields: Fields

    init(delivery: WebhookDelivery, message: DeliveryMessage, lease: UUID? = nil) {
        fields = Fields(delivery: delivery, message: message, lease: lease)
    }

    var delivery: WebhookDelivery {
        get { fields.delivery }
        set { fields = Fields(delivery: newValue, message: message, lease: lease) }
    }
    var message: DeliveryMessage { fields.message }
    var lease: UUID? {
        get { fields.lease }
        set { fields = Fields(delivery: delivery, message: message, lease: newValue) }
    }
}
