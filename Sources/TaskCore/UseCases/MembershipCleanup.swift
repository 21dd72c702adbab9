import Foundation

/// What removing someone from a workspace entails besides the membership row: their project roles there go,
/// and the workspace's tasks assigned to them become unassigned, each change recorded as an event.
struct MembershipCleanup {
    let tx: any StoreTransaction
    let ids: any IDGenerator
    let now: Date

    /// Removes `member` from its workspace and everything tied to it, as `actorID`: `project_member_removed` for
    /// each project role, `task_updated` for each task unassigned, then `workspace_member_removed`.
    func removeEverywhere(_ member: WorkspaceMember, actorID: UserID) async throws {
        let (userID, workspaceID) = (member.userID, member.workspaceID)
        let records = EventRecords(ids: ids, actorID: actorID, at: now)
        let projectRoles = try await tx.deleteProjectMemberships(of: userID, in: workspaceID)
        try await tx.appendEvents(
            projectRoles.map { role in
                records.projectMember(
                    .projectMemberRemoved, in: role.projectID, workspaceID: workspaceID, userID: userID,
                    from: role.role, to: nil)
            })
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
        try await tx.appendEvents([
            records.workspaceMember(
                .workspaceMemberRemoved, in: workspaceID, userID: userID, from: member.role, to: nil)
        ])
    }
}
