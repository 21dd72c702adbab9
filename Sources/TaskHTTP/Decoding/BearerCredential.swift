/// The token of an `Authorization: Bearer <token>` header (RFC 6750): the scheme in any case, one or more spaces,
/// then the token, trimmed. `nil` for any other header, so that the caller answers 401.
enum BearerCredential {
    /// The longest token read; longer ones are refused unread.
    static let maximumTokenBytes = 8192

    /// The token in `header`, or `nil`.
    static func token(in header: String?) -> String? {
        guard let header, header.utf8.count <= maximumTokenBytes + 16 else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        var token = parts[1].drop(while: { $0 == " " || $0 == "\t" })
        while let last = token.last, last == " " || last == "\t" { token = token.dropLast() }
        guard !token.isEmpty, token.utf8.count <= maximumTokenBytes else { return nil }
        return String(token)
    }
}
