import Foundation
import PostgresNIO
import TaskCore

extension PostgresTransaction {
    func taskAccess(_ id: TaskID, for userID: UserID) async throws -> TaskAccessFacts? {
        try await rows(TaskAccessStatement(recordID: id.uuid, userID: userID.uuid)).first
    }

    func projectAccess(_ id: ProjectID, for userID: UserID) async throws -> ProjectAccessFacts? {
        try await rows(ProjectAccessStatement(recordID: id.uuid, userID: userID.uuid)).first
    }

    func workspaceAccess(_ id: WorkspaceID, for userID: UserID) async throws -> WorkspaceAccessFacts? {
        try await rows(WorkspaceAccessStatement(recordID: id.uuid, userID: userID.uuid)).first
    }

    func workspaceAccess(_ id: WorkspaceID, claimedBy identity: ClaimIdentity) async throws -> ClaimedWorkspaceAccess {
        try await claimed(WorkspaceAccessStatement.self, id.uuid, identity)
    }

    func workspaceMemberships(claimedBy identity: ClaimIdentity) async throws -> ClaimedMemberships {
        let found =
            switch identity {
            case .user(let userID): try await rows(ClaimedMembershipsStatement(userID: userID.uuid))
            case .personalToken(let lookup): try await rows(TokenClaimedMembershipsStatement(lookup: lookup))
            }
        guard let first = found.first else { return ClaimedAccess(user: nil, facts: nil) }
        return ClaimedAccess(user: first.user, token: first.token, facts: found.compactMap(\.member))
    }

    func taskAccess(_ id: TaskID, claimedBy identity: ClaimIdentity) async throws -> ClaimedTaskAccess {
        try await claimed(TaskAccessStatement.self, id.uuid, identity)
    }

    func projectAccess(_ id: ProjectID, claimedBy identity: ClaimIdentity) async throws -> ClaimedProjectAccess {
        try await claimed(ProjectAccessStatement.self, id.uuid, identity)
    }

    /// Locks the task row and reads its facts in one statement (`LockedAccessStatement`); when the lock had to
    /// wait for a change that committed after the statement began, the facts are read again in a statement of
    /// their own, which sees that change.
    func taskAccess(_ id: TaskID, for userID: UserID, locking lock: RowLock) async throws -> TaskAccessFacts? {
        guard let found = try await locked(TaskAccessStatement.self, id.uuid, userID.uuid, lock) else { return nil }
        return found.isCurrent ? found.facts : try await taskAccess(id, for: userID)
    }

    /// Locks the project row and reads its facts in one statement (see `taskAccess(_:for:locking:)`).
    func projectAccess(_ id: ProjectID, for userID: UserID, locking lock: RowLock) async throws -> ProjectAccessFacts? {
        guard let found = try await locked(ProjectAccessStatement.self, id.uuid, userID.uuid, lock) else { return nil }
        return found.isCurrent ? found.facts : try await projectAccess(id, for: userID)
    }

    /// Reads the user with the locked task's facts in one statement (see `taskAccess(_:for:locking:)`).
    func taskAccess(_ id: TaskID, claimedBy identity: ClaimIdentity, locking lock: RowLock) async throws
        -> ClaimedTaskAccess
    {
        try await claimedLocked(TaskAccessStatement.self, id.uuid, identity, lock) { try await taskAccess(id, for: $0) }
    }

    /// Reads the user with the locked project's facts in one statement (see `taskAccess(_:for:locking:)`).
    func projectAccess(_ id: ProjectID, claimedBy identity: ClaimIdentity, locking lock: RowLock) async throws
        -> ClaimedProjectAccess
    {
        try await claimedLocked(ProjectAccessStatement.self, id.uuid, identity, lock) {
            try await projectAccess(id, for: $0)
        }
    }

    /// Locks the workspace row and reads its facts in one statement (see `taskAccess(_:for:locking:)`).
    func workspaceAccess(_ id: WorkspaceID, for userID: UserID, locking lock: RowLock) async throws
        -> WorkspaceAccessFacts?
    {
        guard let found = try await locked(WorkspaceAccessStatement.self, id.uuid, userID.uuid, lock) else {
            return nil
        }
        return found.isCurrent ? found.facts : try await workspaceAccess(id, for: userID)
    }

    /// Reads the user with the locked workspace's facts in one statement (see `taskAccess(_:for:locking:)`).
    func workspaceAccess(_ id: WorkspaceID, claimedBy identity: ClaimIdentity, locking lock: RowLock) async throws
        -> ClaimedWorkspaceAccess
    {
        try await claimedLocked(WorkspaceAccessStatement.self, id.uuid, identity, lock) {
            try await workspaceAccess(id, for: $0)
        }
    }

    /// Reads the user with the comment and its task's facts in one statement.
    func commentAccess(_ id: CommentID, claimedBy identity: ClaimIdentity) async throws -> ClaimedCommentAccess {
        try await claimed(CommentAccessStatement.self, id.uuid, identity)
    }

    /// Reads the user with the locked comment and its task's facts in one statement (see
    /// `taskAccess(_:for:locking:)`); when the lock waited for a change, the comment and the facts are read again.
    func commentAccess(_ id: CommentID, claimedBy identity: ClaimIdentity, locking lock: RowLock) async throws
        -> ClaimedCommentAccess
    {
        try await claimedLocked(CommentAccessStatement.self, id.uuid, identity, lock) { userID in
            guard let comment = try await comment(id), let task = try await taskAccess(comment.taskID, for: userID)
            else { return nil }
            return CommentAccessFacts(comment: comment, task: task)
        }
    }

    /// `ClaimedAccessStatement<Read>`'s one row (or `TokenClaimedAccessStatement<Read>`'s), or nothing found when
    /// there is no such user (or token).
    private func claimed<Read: AccessFactsStatement>(_ read: Read.Type, _ id: UUID, _ identity: ClaimIdentity)
        async throws -> ClaimedAccess<Read.Facts>
    {
        let found =
            switch identity {
            case .user(let userID):
                try await rows(ClaimedAccessStatement<Read>(recordID: id, userID: userID.uuid)).first
            case .personalToken(let lookup):
                try await rows(TokenClaimedAccessStatement<Read>(recordID: id, lookup: lookup)).first
            }
        return found ?? ClaimedAccess(user: nil, facts: nil)
    }

    /// `LockedAccessStatement<Read, …>` with the lock `lock` names.
    private func locked<Read: AccessFactsStatement>(_ read: Read.Type, _ id: UUID, _ userID: UUID, _ lock: RowLock)
        async throws -> LockedFacts<Read.Facts>?
    {
        switch lock {
        case .share: try await lockedRows(LockedAccessStatement<Read, ForShare>(recordID: id, userID: userID)).first
        case .update: try await lockedRows(LockedAccessStatement<Read, ForUpdate>(recordID: id, userID: userID)).first
        }
    }

    /// `ClaimedLockedAccessStatement<Read, …>` (or `TokenClaimedLockedAccessStatement<Read, …>`) with the lock
    /// `lock` names; nothing found when there is no such user (or token). When the lock waited for a change that
    /// committed after the statement began, the facts come from `rereading` the user's, which sees that change.
    private func claimedLocked<Read: AccessFactsStatement>(
        _ read: Read.Type, _ id: UUID, _ identity: ClaimIdentity, _ lock: RowLock,
        rereading: (UserID) async throws -> Read.Facts?
    ) async throws -> ClaimedAccess<Read.Facts> {
        let found =
            switch (identity, lock) {
            case (.user(let userID), .share):
                try await lockedRows(ClaimedLockedAccessStatement<Read, ForShare>(recordID: id, userID: userID.uuid))
                    .first
            case (.user(let userID), .update):
                try await lockedRows(ClaimedLockedAccessStatement<Read, ForUpdate>(recordID: id, userID: userID.uuid))
                    .first
            case (.personalToken(let lookup), .share):
                try await lockedRows(TokenClaimedLockedAccessStatement<Read, ForShare>(recordID: id, lookup: lookup))
                    .first
            case (.personalToken(let lookup), .update):
                try await lockedRows(TokenClaimedLockedAccessStatement<Read, ForUpdate>(recordID: id, lookup: lookup))
                    .first
            }
        guard let found else { return ClaimedAccess(user: nil, facts: nil) }
        guard let user = found.access.user, found.access.facts != nil, !found.isCurrent else { return found.access }
        return ClaimedAccess(user: user, token: found.access.token, facts: try await rereading(user.id))
    }
}
