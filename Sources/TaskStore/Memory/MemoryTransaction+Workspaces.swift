import TaskCore

extension MemoryTransaction {
    func workspace(_ id: WorkspaceID) async throws -> Workspace? {
        await read { $0.workspaces[id] }
    }

    func insertWorkspace(_ workspace: Workspace) async throws {
        await write { $0.workspaces[workspace.id] = workspace }
    }

    func updateWorkspace(_ workspace: Workspace) async throws {
        try await write { state in
            guard state.workspaces[workspace.id] != nil else { throw DomainError.notFound(.workspace) }
            state.workspaces[workspace.id] = workspace
        }
    }

    func deleteWorkspace(_ id: WorkspaceID) async throws {
        await write { state in
            state.workspaces[id] = nil
            state.workspaceMembers[id] = nil
            let projectIDs = state.projects.values.filter { $0.workspaceID == id }.map(\.id)
            for projectID in projectIDs {
                state.projects[projectID] = nil
                state.projectMembers[projectID] = nil
            }
            state.tasks.removeAll(in: state.tasks.tasks(inWorkspace: id).map(\.id))
            state.comments = state.comments.filter { $0.value.workspaceID != id }
            state.eventsByTask = state.eventsByTask.filter { $0.value.first?.event.workspaceID != id }
            state.eventsByWorkspace[id] = nil
            state.removeWebhooks { $0.workspaceID == id }
            for projectID in projectIDs { state.eventsByProject[projectID] = nil }
        }
    }

    func workspaceMember(_ workspaceID: WorkspaceID, _ userID: UserID) async throws -> WorkspaceMember? {
        await read { $0.workspaceMembers[workspaceID]?[userID] }
    }

    func workspaceMemberships(of userID: UserID) async throws -> [WorkspaceMember] {
        await read { state in state.workspaceMembers.values.compactMap { $0[userID] } }
    }

    func workspaces(
        of userID: UserID, within: Set<WorkspaceID>?, after: PagePosition?, limit: Int
    ) async throws -> [WorkspaceMembership] {
        await read { state in
            let memberships = state.workspaceMembers.values.compactMap { members -> WorkspaceMembership? in
                guard let member = members[userID], within?.contains(member.workspaceID) ?? true,
                    let workspace = state.workspaces[member.workspaceID]
                else {
                    return nil
                }
                return WorkspaceMembership(workspace: workspace, role: member.role)
            }
            return MemoryPaging.page(memberships, after: after, limit: limit) {
                PagePosition(value: .date($0.workspace.createdAt), id: $0.workspace.id.uuid)
            }
        }
    }

    func workspaceMembers(of workspaceID: WorkspaceID, after: PagePosition?, limit: Int) async throws -> [MemberProfile]
    {
        await read { state in
            let profiles = (state.workspaceMembers[workspaceID] ?? [:]).values.compactMap { member -> MemberProfile? in
                guard let user = state.users[member.userID] else { return nil }
                return MemberProfile(
                    userID: user.id, email: user.email, name: user.name, role: member.role.rawValue,
                    joinedAt: member.joinedAt)
            }
            return MemoryPaging.page(profiles, after: after, limit: limit, key: \.position)
        }
    }

    func insertWorkspaceMember(_ member: WorkspaceMember) async throws {
        try await write { state in
            guard state.workspaceMembers[member.workspaceID]?[member.userID] == nil else {
                throw DomainError.conflict(.alreadyMember)
            }
            state.workspaceMembers[member.workspaceID, default: [:]][member.userID] = member
        }
    }

    func updateWorkspaceMember(_ member: WorkspaceMember) async throws {
        try await write { state in
            guard state.workspaceMembers[member.workspaceID]?[member.userID] != nil else {
                throw DomainError.notFound(.member)
            }
            state.workspaceMembers[member.workspaceID]?[member.userID] = member
        }
    }

    func deleteWorkspaceMember(_ workspaceID: WorkspaceID, _ userID: UserID) async throws {
        await write { $0.workspaceMembers[workspaceID]?[userID] = nil }
    }
}
