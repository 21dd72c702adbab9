import TaskCore

extension MemoryTransaction {
    func comment(_ id: CommentID) async throws -> Comment? {
        await read { $0.comments[id] }
    }

    func insertComment(_ comment: Comment) async throws {
        await write { $0.comments[comment.id] = comment }
    }

    func updateComment(_ comment: Comment) async throws {
        try await write { state in
            guard state.comments[comment.id] != nil else { throw DomainError.notFound(.comment) }
            state.comments[comment.id] = comment
        }
    }

    func deleteComment(_ id: CommentID) async throws {
        await write { $0.comments[id] = nil }
    }

    func comments(of taskID: TaskID, after: PagePosition?, limit: Int) async throws -> [Comment] {
        await read { state in
            MemoryPaging.page(state.comments.values.filter { $0.taskID == taskID }, after: after, limit: limit) {
                PagePosition(value: .date($0.createdAt), id: $0.id.uuid)
            }
        }
    }
}
