import Foundation

/// The header of a compact JWS (the first of a JWT's three dot-separated parts), read only as far as its `alg`.
///
/// Foundation only, so that the fuzz harness drives it as `JWTAccessTokens.verify(_:)` does: every token a client
/// sends is read here first.
enum JWSHeader {
    /// `{"alg":"HS256","typ":"JWT"}` and `{"typ":"JWT","alg":"HS256"}`, encoded: jwt-kit writes the header's two
    /// fields in either order from one process to the next.
    private static let issuedHeaderPrefixes = [
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.",
    ]

    /// The longest header read; a real one is a few dozen bytes, and a bound keeps a forged one from nesting deep
    /// enough to exhaust the stack of the JSON reader.
    static let maximumHeaderBytes = 256

    /// The `alg` of a compact JWS header, or `nil` when the token is not one.
    static func algorithm(of token: String) -> String? {
        // The headers taskd's own tokens carry are recognised without decoding them.
        if issuedHeaderPrefixes.contains(where: { token.utf8.starts(with: $0.utf8) }) { return "HS256" }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].utf8.count <= maximumHeaderBytes,
            let header = Data(base64URLEncoded: String(parts[0])),
            let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any]
        else { return nil }
        return object["alg"] as? String
    }
}

extension Data {
    /// Decodes base64url text without padding, as JWTs use it.
    init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }

    /// This data as base64url text without padding.
    var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
