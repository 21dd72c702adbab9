/// The text of a personal access token: `tdp_`, 30 random base62 characters, then the CRC32 of those 30 characters
/// in base62 (digits `0-9A-Za-z`, most significant first, left-padded with `0` to 6 characters).
///
/// The checksum lets a secret scanner, or taskd itself, refuse a look-alike without a look-up; it is no secret.
/// A bearer token is a personal access token exactly when it starts with `tdp_`: the two kinds of bearer token are
/// told apart by that prefix, never by trying to parse one as the other.
public enum PersonalTokenText {
    /// What every personal access token starts with.
    public static let marker = "tdp_"
    /// How many random characters follow the marker.
    public static let randomLength = 30
    /// How many characters the checksum takes.
    public static let checksumLength = 6
    /// The whole token's length: 40.
    public static let length = marker.utf8.count + randomLength + checksumLength
    /// How many leading characters are kept and shown as the token's `prefix`.
    public static let prefixLength = 8
    /// The base62 digits, in value order.
    public static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// Whether `bearer` claims to be a personal access token (whether or not it is well-formed).
    public static func isPersonalToken(_ bearer: String) -> Bool {
        bearer.utf8.starts(with: marker.utf8)
    }

    /// The token made of `random` (30 base62 characters): the marker, `random` and its checksum.
    public static func token(random: String) -> String {
        marker + random + checksum(of: Array(random.utf8))
    }

    /// Whether `text` has the token's shape: the marker, 30 base62 characters and their correct checksum.
    public static func isWellFormed(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == length, bytes.starts(with: marker.utf8) else { return false }
        let random = bytes[marker.utf8.count..<(marker.utf8.count + randomLength)]
        guard random.allSatisfy(isBase62) else { return false }
        let sent = bytes[(marker.utf8.count + randomLength)...]
        return Array(sent) == Array(checksum(of: Array(random)).utf8)
    }

    /// The first characters shown as the token's `prefix`.
    public static func displayPrefix(of token: String) -> String {
        String(token.prefix(prefixLength))
    }

    /// The CRC32 (IEEE 802.3, as zlib computes it) of `bytes` in base62, 6 characters.
    public static func checksum(of bytes: [UInt8]) -> String {
        var value = CRC32.checksum(bytes)
        var digits = [UInt8](repeating: alphabet[0], count: checksumLength)
        for index in stride(from: checksumLength - 1, through: 0, by: -1) {
            digits[index] = alphabet[Int(value % 62)]
            value /= 62
        }
        return String(decoding: digits, as: UTF8.self)
    }

    private static func isBase62(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }
}

/// CRC-32 with the reflected polynomial `0xEDB88320`, the checksum of zlib, PNG and gzip.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
        return value
    }

    /// The checksum of `bytes`.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

/// Compares secrets (token digests) in time that depends on their length only, never on where they first differ.
public enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes.
    public static func isEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(left, right) { difference |= a ^ b }
        return difference == 0
    }
}
