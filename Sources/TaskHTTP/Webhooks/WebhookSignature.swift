import Crypto
import Foundation

/// Standard Webhooks signatures: `v1,<base64 of HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`, where the key is
/// the base64-decoded part of a `whsec_` secret; several are separated by spaces.
public enum WebhookSignature {
    /// The `webhook-signature` header for a message signed with each of `secrets` (a secret that does not decode
    /// signs nothing).
    public static func header(id: String, timestamp: Int, body: Data, secrets: [String]) -> String {
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(body)
        return secrets.compactMap { secret -> String? in
            guard let key = key(of: secret) else { return nil }
            let code = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))
            return "v1," + Data(code).base64EncodedString()
        }.joined(separator: " ")
    }

    /// The key bytes of a `whsec_` secret.
    static func key(of secret: String) -> Data? {
        guard secret.hasPrefix("whsec_") else { return nil }
        return Data(base64Encoded: String(secret.dropFirst("whsec_".count)))
    }
}
