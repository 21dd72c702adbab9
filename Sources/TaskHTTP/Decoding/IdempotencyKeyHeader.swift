/// Reads `Idempotency-Key`: 1 to 255 visible ASCII characters, bare (`abc`) or as a quoted string (`"abc"`, where
/// `\"` and `\\` stand for `"` and `\`). A bare key has no `"`. Reading it from a request's fields is in
/// `IdempotencyKeyHeader+Fields.swift`; this part depends on nothing but the standard library, so it is fuzzed.
enum IdempotencyKeyHeader {
    /// The longest key, in characters.
    static let maximumLength = 255

    /// The key a field value spells, or `nil` when it is not a valid one.
    static func parse(_ bytes: [UInt8]) -> String? {
        var key: [UInt8] = []
        if bytes.first == UInt8(ascii: "\"") {
            guard bytes.count >= 2, bytes.last == UInt8(ascii: "\"") else { return nil }
            var escaped = false
            for byte in bytes.dropFirst().dropLast() {
                guard isVisible(byte) else { return nil }
                if escaped {
                    guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { return nil }
                    key.append(byte)
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    return nil
                } else {
                    key.append(byte)
                }
            }
            guard !escaped else { return nil }
        } else {
            guard bytes.allSatisfy({ isVisible($0) && $0 != UInt8(ascii: "\"") }) else { return nil }
            key = bytes
        }
        guard (1...maximumLength).contains(key.count) else { return nil }
        return String(decoding: key, as: UTF8.self)
    }

    private static func isVisible(_ byte: UInt8) -> Bool { (0x21...0x7E).contains(byte) }
}
