import Foundation

/// What removing someone from a workspace entails besides the membership row: their project roles there go,
/// and the workspace's tasks assigned to them become unassigned, each change recorded as activity.
struct MembershipCleanup {
    let tx: any StoreTransaction
    let ids: any IDGenerator
    let now: Date

    /// Removes `userID`'s membership of `workspaceID` and everything tied to it, as `actorID`.
    func removeEverywhere(userID: UserID, from workspaceID: WorkspaceID, actorID: UserID) async throws {
        try await tx.deleteProjectMemberships(of: userID, in: workspaceID)
        for task in try await tx.tasks(assignedTo: userID, in: workspaceID) {
            var updated = task
            updated.assigneeID = nil
            updated.updatedAt = now
            updated.version = task.version + 1
            try await tx.updateTask(updated, expectedVersion: task.version)
            try await tx.appendEvents(
                TaskChangeLog(before: task, after: updated).events(actorID: actorID, at: now, ids: ids))
        }
        try await tx.deleteWorkspaceMember(workspaceID, userID)
    }
}
