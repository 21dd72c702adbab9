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

    func personalTokenCredential(_ lookup: PersonalTokenLookup) async throws -> (PersonalAccessToken, User)? {
        // A read first: only a request that writes `last_used_at` (once a minute per token) takes the writer's turn.
        let isDue: @Sendable (PersonalAccessToken) -> Bool = { token in
            token.expiresAt > lookup.at && (token.lastUsedAt.map { $0 <= lookup.touchingBefore } ?? true)
        }
        let digest = lookup.digest
        let found = await read { state in Self.credential(digest: digest, in: state) }
        guard let (token, _) = found, isDue(token) else { return found }
        return await write { state in
            guard let (found, user) = Self.credential(digest: digest, in: state) else { return nil }
            var token = found
            if isDue(token) {
                token.lastUsedAt = lookup.at.truncatedToMilliseconds
                state.personalTokens[token.id] = token
            }
            return (token, user)
        }
    }

    /// The token with `digest` and its user, in `state`.
    private static func credential(digest: String, in state: MemoryState) -> (PersonalAccessToken, User)? {
        guard let id = state.personalTokenIDsByDigest[digest], let token = state.personalTokens[id],
            let user = state.users[token.userID]
        else { return nil }
        return (token, user)
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
