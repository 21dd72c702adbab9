import TaskCore

/// A transaction of `MemoryStore`: reads the last committed state until its first write or locking read, then
/// reads and writes the state while the store runs no other changing transaction.
struct MemoryTransaction: StoreTransaction {
    let store: MemoryStore
    /// Which of the store's transactions this is.
    let number: TransactionNumber

    func read<Result: Sendable>(_ body: @Sendable (MemoryState) throws -> Result) async rethrows -> Result {
        try store.withReadableState(number, body)
    }

    /// Waits for the transaction's turn, if it does not hold it yet: what a locking read does before it reads, so
    /// that the rows it returns cannot change until the transaction ends.
    func takeTurn() async {
        await store.withState(number) { _ in }
    }

    func write<Result: Sendable>(_ body: @Sendable (inout MemoryState) throws -> Result) async rethrows -> Result {
        try await store.withState(number, body)
    }
}

extension MemoryTransaction {
    func user(_ id: UserID) async throws -> User? {
        await read { $0.users[id] }
    }

    func user(email: EmailAddress) async throws -> User? {
        await read { state in state.userIDsByEmail[email.value].flatMap { state.users[$0] } }
    }

    func insertUser(_ user: User) async throws {
        try await write { state in
            guard state.userIDsByEmail[user.email.value] == nil else { throw DomainError.conflict(.emailTaken) }
            state.users[user.id] = user
            state.userIDsByEmail[user.email.value] = user.id
        }
    }

    func updateUser(_ user: User) async throws {
        try await write { state in
            guard let old = state.users[user.id] else { throw DomainError.notFound(.user) }
            if old.email != user.email {
                guard state.userIDsByEmail[user.email.value] == nil else { throw DomainError.conflict(.emailTaken) }
                state.userIDsByEmail[old.email.value] = nil
                state.userIDsByEmail[user.email.value] = user.id
            }
            state.users[user.id] = user
        }
    }

    func deleteUser(_ id: UserID) async throws {
        await write { state in
            guard let user = state.users.removeValue(forKey: id) else { return }
            state.userIDsByEmail[user.email.value] = nil
            for workspaceID in state.workspaceMembers.keys { state.workspaceMembers[workspaceID]?[id] = nil }
            for projectID in state.projectMembers.keys { state.projectMembers[projectID]?[id] = nil }
            state.refreshTokens = state.refreshTokens.filter { $0.value.userID != id }
            state.removePersonalTokens { $0.userID == id }
        }
    }

    func users(after: PagePosition?, limit: Int) async throws -> [User] {
        await read { state in
            MemoryPaging.page(state.users.values, after: after, limit: limit) {
                PagePosition(value: .date($0.createdAt), id: $0.id.uuid)
            }
        }
    }
}
