import Foundation
import TaskCore

extension MemoryTransaction {
    func insertPersonalToken(_ token: PersonalAccessToken) async throws {
        await write { state in
            state.personalTokens[token.id] = token
            state.personalTokenIDsByDigest[token.digest] = token.id
        }
    }

    func personalToken(_ id: PersonalTokenID, of userID: UserID) async throws -> PersonalAccessToken? {
        await read { state in state.personalTokens[id].flatMap { $0.userID == userID ? $0 : nil } }
    }

    func deletePersonalToken(_ id: PersonalTokenID) async throws {
        await write { state in
            guard let token = state.personalTokens.removeValue(forKey: id) else { return }
            state.personalTokenIDsByDigest[token.digest] = nil
        }
    }

    func personalTokens(of userID: UserID, after: PagePosition?, limit: Int) async throws -> [PersonalAccessToken] {
        await read { state in
            MemoryPaging.page(state.personalTokens.values.filter { $0.userID == userID }, after: after, limit: limit) {
                PagePosition(value: .date($0.createdAt), id: $0.id.uuid)
            }
        }
    }

    func unexpiredPersonalTokenCount(of userID: UserID, at: Date) async throws -> Int {
        await read { state in state.personalTokens.values.count { $0.userID == userID && $0.expiresAt > at } }
    }

    func personalTokenCredential(digest: String, at: Date, touchingBefore: Date) async throws -> (
        PersonalAccessToken, User
    )? {
        await write { state in
            guard let id = state.personalTokenIDsByDigest[digest], var token = state.personalTokens[id],
                let user = state.users[token.userID]
            else { return nil }
            if token.expiresAt > at, token.lastUsedAt.map({ $0 <= touchingBefore }) ?? true {
                token.lastUsedAt = at.truncatedToMilliseconds
                state.personalTokens[id] = token
            }
            return (token, user)
        }
    }

    func deletePersonalTokens(expiredBefore before: Date) async throws {
        await write { state in state.removePersonalTokens { $0.expiresAt < before } }
    }
}

extension MemoryState {
    /// Removes the tokens `isRemoved` picks, and their digests from the index.
    mutating func removePersonalTokens(where isRemoved: (PersonalAccessToken) -> Bool) {
        for token in personalTokens.values where isRemoved(token) {
            personalTokens[token.id] = nil
            personalTokenIDsByDigest[token.digest] = nil
        }
    }
}
