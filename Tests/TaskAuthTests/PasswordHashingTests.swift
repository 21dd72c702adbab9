import Foundation
import TaskCore
import Testing

@testable import TaskAuth

@Suite("Password hashing with libxcrypt")
struct PasswordHashingTests {
    static let password = "correct horse battery staple"

    @Test("new hashes are bcrypt $2b$ at the configured cost and verify")
    func hashAndVerify() async throws {
        let hasher = try CryptPasswordHasher(cost: 4)
        let hash = try await hasher.hash(Self.password)
        #expect(hash.hasPrefix("$2b$04$") && hash.count == 60)
        #expect(await hasher.verify(Self.password, against: hash))
        #expect(await !hasher.verify("wrong horse battery staple", against: hash))
        #expect(try await hasher.hash(Self.password) != hash, "salted")
        #expect(CryptPasswordHasher.defaultCost == 12)
    }

    @Test(
        "hashes made elsewhere verify: Python's bcrypt ($2b$, $2a$) and yescrypt ($y$)",
        arguments: [
            "$2b$05$TE/XN.w/D4ulUcSJZawv7uZwI3ZPZS3SPqFpDpuuq7DhDuE1Nazri",
            "$2a$05$oPeR8Uxz9xA9fFlYDuX8ouruPfdhK3fozSBqPLFinoKldvQLgAGXC",
            "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$y8e1eitiNDaQsFFW6d.9KbSTlk5zV3R3coZQtfcNAO5",
        ])
    func foreignHashes(hash: String) async throws {
        let hasher = try CryptPasswordHasher(cost: 4)
        #expect(await hasher.verify(Self.password, against: hash))
        #expect(await !hasher.verify(Self.password + "!", against: hash))
    }

    @Test("unreadable hashes never verify", arguments: ["", "plain-text", "$2b$05$short", "*0"])
    func unreadable(hash: String) async throws {
        #expect(await !(try CryptPasswordHasher(cost: 4)).verify(Self.password, against: hash))
    }

    @Test("a password longer than 72 bytes is refused, never cut")
    func longPasswords() async throws {
        let hasher = try CryptPasswordHasher(cost: 4)
        let long = String(repeating: "a", count: 73)
        await #expect(throws: CryptError.unacceptablePassword) { try await hasher.hash(long) }
        let hash = try await hasher.hash(String(repeating: "a", count: 72))
        #expect(await !hasher.verify(long, against: hash), "the 73rd byte is not ignored")
    }

    @Test("a cost outside 4...31 is refused")
    func costs() {
        #expect(throws: CryptError.invalidCost(3)) { try CryptPasswordHasher(cost: 3) }
        #expect(throws: CryptError.invalidCost(32)) { try CryptPasswordHasher(cost: 32) }
    }
}
