import TaskCore

/// The locking reads. `MemoryStore` runs one transaction at a time, so a row read inside a transaction cannot
/// change before it ends: each is the plain read.
extension MemoryTransaction {
    func lockUser(_ id: UserID) async throws -> User? {
        try await user(id)
    }

    func lockWorkspace(_ id: WorkspaceID) async throws -> Workspace? {
        try await workspace(id)
    }

    func lockWorkspaceMember(_ workspaceID: WorkspaceID, _ userID: UserID) async throws -> WorkspaceMember? {
        try await workspaceMember(workspaceID, userID)
    }

    func lockProjectMember(_ projectID: ProjectID, _ userID: UserID) async throws -> ProjectMember? {
        try await projectMember(projectID, userID)
    }

    func lockComment(_ id: CommentID) async throws -> Comment? {
        try await comment(id)
    }
}
