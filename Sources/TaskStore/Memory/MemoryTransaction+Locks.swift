import Foundation
import TaskCore

/// The locking reads: each takes the transaction's turn first (see `MemoryStore`), so that the row it returns
/// cannot change before the transaction ends, then reads it.
extension MemoryTransaction {
    func lockUser(_ id: UserID) async throws -> User? {
        await takeTurn()
        return try await user(id)
    }

    func lockWorkspace(_ id: WorkspaceID) async throws -> Workspace? {
        await takeTurn()
        return try await workspace(id)
    }

    func lockWorkspaceMember(_ workspaceID: WorkspaceID, _ userID: UserID) async throws -> WorkspaceMember? {
        await takeTurn()
        return try await workspaceMember(workspaceID, userID)
    }

    func lockProjectMember(_ projectID: ProjectID, _ userID: UserID) async throws -> ProjectMember? {
        await takeTurn()
        return try await projectMember(projectID, userID)
    }

    func lockComment(_ id: CommentID) async throws -> Comment? {
        await takeTurn()
        return try await comment(id)
    }

    func lockPersonalToken(_ id: PersonalTokenID, of userID: UserID) async throws -> PersonalAccessToken? {
        await takeTurn()
        return try await personalToken(id, of: userID)
    }

    func lockWebhook(_ id: WebhookID, in workspaceID: WorkspaceID) async throws -> Webhook? {
        await takeTurn()
        return try await webhook(id, in: workspaceID)
    }

    func lockDelivery(_ id: DeliveryID, of webhookID: WebhookID) async throws -> WebhookDelivery? {
        await takeTurn()
        return try await delivery(id, of: webhookID)
    }

    func lockDelivery(_ id: DeliveryID, lease: UUID) async throws -> WebhookDelivery? {
        await takeTurn()
        return await read { state in state.deliveries[id].flatMap { $0.lease == lease ? $0.delivery : nil } }
    }

    func lockOwners(of workspaceID: WorkspaceID) async throws -> [UserID] {
        await takeTurn()
        return await read { state in
            (state.workspaceMembers[workspaceID] ?? [:]).values.filter { $0.role == .owner }.map(\.userID).sorted()
        }
    }

    func lockAttempts(key: String) async throws {
        await takeTurn()
    }

    func taskAccess(_ id: TaskID, for userID: UserID, locking lock: RowLock) async throws -> TaskAccessFacts? {
        await takeTurn()
        return try await taskAccess(id, for: userID)
    }

    func projectAccess(_ id: ProjectID, for userID: UserID, locking lock: RowLock) async throws -> ProjectAccessFacts? {
        await takeTurn()
        return try await projectAccess(id, for: userID)
    }
}
