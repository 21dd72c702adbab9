import TaskCore

extension MemoryTransaction {
    func project(_ id: ProjectID) async throws -> Project? {
        await read { $0.projects[id] }
    }

    func insertProject(_ project: Project) async throws {
        await write { $0.projects[project.id] = project }
    }

    func updateProject(_ project: Project) async throws {
        try await write { state in
            guard state.projects[project.id] != nil else { throw DomainError.notFound(.project) }
            state.projects[project.id] = project
        }
    }

    func deleteProject(_ id: ProjectID) async throws {
        await write { state in
            state.projects[id] = nil
            state.projectMembers[id] = nil
            state.removeWebhooks { $0.projectID == id }
            let taskIDs = state.tasks.removeAll(in: state.tasks.tasks(inProject: id).map(\.id))
            state.comments = state.comments.filter { !taskIDs.contains($0.value.taskID) }
        }
    }

    func projects(
        visibleIn scope: VisibilityScope, workspaceID: WorkspaceID?, isArchived: Bool?, after: PagePosition?, limit: Int
    ) async throws -> [Project] {
        await read { state in
            let visible = state.projects.values.filter { project in
                if let workspaceID, project.workspaceID != workspaceID { return false }
                if let isArchived, project.isArchived != isArchived { return false }
                let hasRole = state.projectMembers[project.id]?[scope.userID] != nil
                return scope.admits(project, hasProjectRole: hasRole)
            }
            return MemoryPaging.page(visible, after: after, limit: limit) {
                PagePosition(value: .date($0.createdAt), id: $0.id.uuid)
            }
        }
    }

    func projectMember(_ projectID: ProjectID, _ userID: UserID) async throws -> ProjectMember? {
        await read { $0.projectMembers[projectID]?[userID] }
    }

    func projectMembers(of projectID: ProjectID, after: PagePosition?, limit: Int) async throws -> [MemberProfile] {
        await read { state in
            let profiles = (state.projectMembers[projectID] ?? [:]).values.compactMap { member -> MemberProfile? in
                guard let user = state.users[member.userID] else { return nil }
                return MemberProfile(
                    userID: user.id, email: user.email, name: user.name, role: member.role.rawValue,
                    joinedAt: member.addedAt)
            }
            return MemoryPaging.page(profiles, after: after, limit: limit, key: \.position)
        }
    }

    func insertProjectMember(_ member: ProjectMember) async throws {
        try await write { state in
            guard state.projectMembers[member.projectID]?[member.userID] == nil else {
                throw DomainError.conflict(.alreadyMember)
            }
            state.projectMembers[member.projectID, default: [:]][member.userID] = member
        }
    }

    func updateProjectMember(_ member: ProjectMember) async throws {
        try await write { state in
            guard state.projectMembers[member.projectID]?[member.userID] != nil else {
                throw DomainError.notFound(.projectMember)
            }
            state.projectMembers[member.projectID]?[member.userID] = member
        }
    }

    func deleteProjectMember(_ projectID: ProjectID, _ userID: UserID) async throws {
        await write { $0.projectMembers[projectID]?[userID] = nil }
    }

    func deleteProjectMemberships(of userID: UserID, in workspaceID: WorkspaceID) async throws -> [ProjectMember] {
        await write { state in
            var removed: [ProjectMember] = []
            for project in state.projects.values where project.workspaceID == workspaceID {
                if let member = state.projectMembers[project.id]?.removeValue(forKey: userID) { removed.append(member) }
            }
            return removed.sorted { $0.projectID < $1.projectID }
        }
    }
}
