import TaskCore

/// A query string read as `application/x-www-form-urlencoded`, the way HTML forms, Python's requests and
/// JavaScript's `URLSearchParams` write it: pairs split at `&`, name and value at the first `=`, `+` is a space
/// and `%XX` escapes are bytes of UTF-8. A `%` not followed by two hex digits stays as it is (as WHATWG's URL
/// standard reads it). When a name appears twice, the first value counts.
struct QueryString: Sendable {
    /// A value whose bytes are not UTF-8 once decoded; reading it is a `422` naming the parameter.
    struct InvalidText: Error, Equatable {
        /// The parameter.
        let name: String
    }

    private var values: [String: [UInt8]] = [:]

    /// Splits a raw (still percent-encoded) query, without the leading `?`.
    init(_ raw: String?) {
        guard let raw else { return }
        for pair in raw.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let separator = pair.firstIndex(of: UInt8(ascii: "="))
            let rawName = pair[pair.startIndex..<(separator ?? pair.endIndex)]
            let rawValue = separator.map { pair[pair.index(after: $0)...] } ?? pair[pair.endIndex...]
            // A name that is not UTF-8 cannot be one taskd reads, so the pair is ignored.
            guard let name = String(validating: Self.decode(rawName), as: UTF8.self) else { continue }
            if values[name] == nil { values[name] = Self.decode(rawValue) }
        }
    }

    /// The decoded value of `name`, or `nil` when the query does not have it.
    /// - Throws: `InvalidText` when the decoded bytes are not UTF-8.
    func value(_ name: String) throws(InvalidText) -> String? {
        guard let bytes = values[name] else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw InvalidText(name: name) }
        return text
    }

    /// `+` to a space and `%XX` to its byte.
    static func decode(_ input: some Sequence<UInt8>) -> [UInt8] {
        let bytes = Array(input)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                result.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = HexDigits.value(bytes[index + 1]),
                let low = HexDigits.value(bytes[index + 2])
            {
                result.append(high << 4 | low)
                index += 3
                continue
            } else {
                result.append(byte)
            }
            index += 1
        }
        return result
    }
}
