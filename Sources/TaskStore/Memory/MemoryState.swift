import Foundation
import TaskCore

/// Every row of the in-memory store. A value: a transaction copies it to roll back.
struct MemoryState: Sendable {
    var users: [UserID: User] = [:]
    var userIDsByEmail: [String: UserID] = [:]
    var workspaces: [WorkspaceID: Workspace] = [:]
    var workspaceMembers: [WorkspaceID: [UserID: WorkspaceMember]] = [:]
    var projects: [ProjectID: Project] = [:]
    var projectMembers: [ProjectID: [UserID: ProjectMember]] = [:]
    var tasks: [TaskID: TaskItem] = [:]
    var comments: [CommentID: Comment] = [:]
    var events: [SequencedEvent] = []
    var nextEventSequence = 1
    var refreshTokens: [String: RefreshTokenRecord] = [:]
    var loginFailures: [String: [Date]] = [:]
}
