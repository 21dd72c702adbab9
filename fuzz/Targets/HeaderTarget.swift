import Foundation
import TaskCore

/// Fuzzes the header readers: `If-Match` and `If-None-Match`, `Idempotency-Key`, `Authorization: Bearer`, and the JWS header of the
/// token inside, or the shape and checksum of a personal access token.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHeaders(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    if let condition = EntityTagCondition(text) {
        // A tag matches strongly only if it matches weakly too.
        for current in ["\"1\"", "\"7-owner\"", text] where condition.matchesStrongly(current) {
            precondition(condition.matchesWeakly(current))
        }
    }
    if let key = IdempotencyKeyHeader.parse(Array(text.utf8)) {
        // A valid key is 1 to 255 visible ASCII characters, and the same key, quoted, reads back as itself.
        precondition((1...IdempotencyKeyHeader.maximumLength).contains(key.utf8.count))
        precondition(key.utf8.allSatisfy { (0x21...0x7E).contains($0) })
        var quoted = "\""
        for character in key { quoted += character == "\"" || character == "\\" ? "\\\(character)" : "\(character)" }
        precondition(IdempotencyKeyHeader.parse(Array((quoted + "\"").utf8)) == key)
    }
    if let token = BearerCredential.token(in: text) {
        _ = JWSHeader.algorithm(of: token)
        if PersonalTokenText.isWellFormed(token) {
            // A well-formed token is the marker, its random part and that part's checksum, and nothing else.
            let random = String(token.dropFirst(PersonalTokenText.marker.count).prefix(PersonalTokenText.randomLength))
            precondition(PersonalTokenText.token(random: random) == token)
        }
    }
    _ = JWSHeader.algorithm(of: text)
    return 0
}
