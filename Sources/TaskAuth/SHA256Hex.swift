import Crypto

/// The SHA-256 of a text as 64 lower-case hex digits: the digest stores keep of refresh and personal access tokens.
enum SHA256Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// The hex SHA-256 of `text`'s UTF-8 bytes. Built byte by byte: it runs on every request that presents a
    /// personal access token, and `String(format:)` per byte costs more than the hash.
    static func digest(of text: String) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(2 * SHA256.byteCount)
        for byte in SHA256.hash(data: Array(text.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
