import Foundation

/// UUIDs to and from their text, and new random ones, without Foundation's C helpers: `UUID()` opens and reads
/// `/dev/urandom` on each call, `uuidString` formats through `snprintf` and `UUID(uuidString:)` parses through
/// `sscanf`, which every id in every request and answer paid for.
public enum UUIDText {
    /// The canonical lower-case form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, as the API prints ids.
    public static func lowercased(_ uuid: UUID) -> String {
        String(unsafeUninitializedCapacity: textLength) { text in
            write(uuid, into: UnsafeMutableRawBufferPointer(text))
        }
    }

    /// Calls `body` with the canonical lower-case form's 36 bytes (what `lowercased` returns), for writers that
    /// put ids straight into a buffer.
    public static func withText<Result>(_ uuid: UUID, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows
        -> Result
    {
        var storage: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        return try withUnsafeMutableBytes(of: &storage) { text in
            try body(UnsafeRawBufferPointer(rebasing: text[..<write(uuid, into: text)]))
        }
    }

    /// The length of the canonical form.
    private static let textLength = 36

    /// Writes the canonical form into the first 36 bytes of `text` (callers give at least that many); returns 36.
    private static func write(_ uuid: UUID, into text: UnsafeMutableRawBufferPointer) -> Int {
        withUnsafeBytes(of: uuid.uuid) { bytes in
            var written = 0
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[written] = UInt8(ascii: "-")
                    written += 1
                }
                text[written] = HexDigits.digit(byte >> 4)
                text[written + 1] = HexDigits.digit(byte & 0x0f)
                written += 2
            }
            return written
        }
    }

    /// The UUID in `text`, or `nil`. Accepts the canonical form only: exactly 36 characters, hyphens at offsets 8,
    /// 13, 18 and 23, and hexadecimal digits of either case everywhere else. (`UUID(uuidString:)` also takes lax
    /// forms its `sscanf` lets through, such as " f", "+f" or "0x" for a byte, so that several texts named one
    /// resource.)
    public static func uuid(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8(parse)
    }

    /// A new random (version 4) UUID from the system's secure generator.
    public static func random() -> UUID {
        var generator = SystemRandomNumberGenerator()
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) { bytes in
            bytes.storeBytes(of: generator.next() as UInt64, toByteOffset: 0, as: UInt64.self)
            bytes.storeBytes(of: generator.next() as UInt64, toByteOffset: 8, as: UInt64.self)
            bytes[6] = bytes[6] & 0x0f | 0x40  // version 4
            bytes[8] = bytes[8] & 0x3f | 0x80  // the RFC 4122 variant
        }
        return UUID(uuid: uuid)
    }

    private static func parse(_ text: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard text.count == 36 else { return nil }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let isValid = withUnsafeMutableBytes(of: &uuid) { bytes -> Bool in
            var offset = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    guard text[offset] == UInt8(ascii: "-") else { return false }
                    offset += 1
                }
                guard let high = HexDigits.value(text[offset]), let low = HexDigits.value(text[offset + 1]) else {
                    return false
                }
                bytes[index] = high << 4 | low
                offset += 2
            }
            return true
        }
        return isValid ? UUID(uuid: uuid) : nil
    }
}
