/// An `If-Match` or `If-None-Match` header (RFC 9110 §13.1): `*`, or a list of entity tags, each strong (`"7"`) or
/// weak (`W/"7"`). taskd also reads a bare tag (`7`), as clients write it. An element that is none of these is
/// kept as one that matches nothing.
struct EntityTagCondition: Sendable, Equatable {
    /// One listed tag.
    struct Tag: Sendable, Equatable {
        let isWeak: Bool
        let opaque: String
    }

    /// Whether the header is `*`.
    let matchesAny: Bool
    /// The listed tags.
    let tags: [Tag]

    /// Reads a header; `nil` when there is none.
    init?(_ header: String?) {
        guard let header else { return nil }
        var any = false
        var tags: [Tag] = []
        for element in header.split(separator: ",") {
            var text = Substring(element.trimmingSpaces)
            if text == "*" {
                any = true
                continue
            }
            var isWeak = false
            if text.hasPrefix("W/") {
                isWeak = true
                text = text.dropFirst(2)
            }
            if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
                text = text.dropFirst().dropLast()
            } else if text.contains("\"") || text.isEmpty {
                continue
            }
            guard !text.contains("\""), text.utf8.count <= 64 else { continue }
            tags.append(Tag(isWeak: isWeak, opaque: String(text)))
        }
        matchesAny = any
        self.tags = tags
    }

    /// RFC 9110 strong comparison, for `If-Match`: `*` matches any existing resource, a weak tag never matches.
    func matchesStrongly(_ current: String) -> Bool {
        matchesAny || tags.contains { !$0.isWeak && $0.opaque == current }
    }

    /// RFC 9110 weak comparison, for `If-None-Match`: `*` matches, and `W/"7"` matches `"7"`.
    func matchesWeakly(_ current: String) -> Bool {
        matchesAny || tags.contains { $0.opaque == current }
    }
}

extension Substring.SubSequence {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
