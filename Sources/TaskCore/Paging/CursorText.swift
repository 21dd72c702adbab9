import Foundation

/// How cursors travel: the JSON of a cursor value in URL-safe base64 without padding, so that it can stand in a
/// query string as it is.
enum CursorText {
    /// The text of `value`.
    static func encode(_ value: some Encodable) -> String {
        let data = (try? JSONEncoder().encode(value)) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The value `text` holds, or `nil` when it is not the text of one.
    static func decode<Value: Decodable>(_ type: Value.Type, from text: String) -> Value? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        return try? JSONDecoder().decode(type, from: data)
    }
}
