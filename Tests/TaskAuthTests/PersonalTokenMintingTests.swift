import TaskAuth
import TaskCore
import Testing

/// Minting personal access tokens: their shape, their randomness and the digest stores keep.
@Suite("Personal access token minting")
struct PersonalTokenMintingTests {
    @Test("a minted token is well-formed, differs from the next, and its digest is its SHA-256 in hex")
    func mint() {
        let minter = RandomPersonalTokens()
        let (token, digest) = minter.mint()
        #expect(PersonalTokenText.isWellFormed(token) && token.count == 40)
        #expect(digest == minter.digest(of: token) && digest.count == 64)
        #expect(minter.mint().token != token)
        #expect(minter.digest(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(RandomRefreshTokens().digest(of: "abc") == minter.digest(of: "abc"))
    }
}
