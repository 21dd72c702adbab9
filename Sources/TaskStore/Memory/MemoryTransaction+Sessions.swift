import Foundation
import TaskCore

extension MemoryTransaction {
    func insertRefreshToken(_ token: RefreshTokenRecord) async throws {
        await write { $0.refreshTokens[token.digest] = token }
    }

    func refreshToken(digest: String) async throws -> RefreshTokenRecord? {
        await read { $0.refreshTokens[digest] }
    }

    func spendRefreshToken(digest: String, at: Date) async throws -> Bool {
        await write { state in
            guard var token = state.refreshTokens[digest], token.spentAt == nil else { return false }
            token.spentAt = at
            state.refreshTokens[digest] = token
            return true
        }
    }

    func revokeRefreshTokens(of userID: UserID, at: Date) async throws {
        await write { state in
            for (digest, token) in state.refreshTokens where token.userID == userID && token.spentAt == nil {
                state.refreshTokens[digest]?.spentAt = at
            }
        }
    }

    func deleteRefreshTokens(expiredBefore before: Date) async throws {
        await write { state in state.refreshTokens = state.refreshTokens.filter { $0.value.expiresAt >= before } }
    }

    func recordLoginFailure(key: String, at: Date) async throws {
        await write { $0.loginFailures[key, default: []].append(at) }
    }

    func loginFailures(key: String, since: Date) async throws -> [Date] {
        await read { state in (state.loginFailures[key] ?? []).filter { $0 >= since }.sorted() }
    }

    func clearLoginFailures(key: String) async throws {
        await write { $0.loginFailures[key] = nil }
    }

    func deleteLoginFailures(before: Date) async throws {
        await write { state in
            for (key, instants) in state.loginFailures {
                let kept = instants.filter { $0 >= before }
                state.loginFailures[key] = kept.isEmpty ? nil : kept
            }
        }
    }
}

extension MemoryTransaction {
    func deleteLoginFailure(key: String, at: Date) async throws {
        await write { state in
            guard var instants = state.loginFailures[key], let index = instants.firstIndex(of: at) else { return }
            instants.remove(at: index)
            state.loginFailures[key] = instants.isEmpty ? nil : instants
        }
    }
}
