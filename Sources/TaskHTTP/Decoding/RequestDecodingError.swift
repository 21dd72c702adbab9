/// A request whose bytes cannot be read at all (a `400 malformed_request`), as opposed to one whose fields break
/// a rule (a `422` through `DomainError.validation`).
enum RequestDecodingError: Error, Equatable {
    /// The body or a header is not in the format it must be in; the text says how.
    case malformed(String)
}
