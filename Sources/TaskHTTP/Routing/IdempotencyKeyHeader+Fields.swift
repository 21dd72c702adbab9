import HTTPTypes

extension IdempotencyKeyHeader {
    /// The key `fields` carry, or `nil` when there is no `Idempotency-Key`.
    /// - Throws: a 400 `invalid_idempotency_key` problem for an empty, too long or malformed key, or the field twice.
    static func key(in fields: HTTPFields) throws -> String? {
        let values = fields[values: .idempotencyKey]
        guard let value = values.first else { return nil }
        guard values.count == 1 else { throw invalid("Send Idempotency-Key once") }
        guard let key = parse(Array(value.utf8)) else {
            throw invalid("Idempotency-Key must be 1 to 255 visible ASCII characters, bare or in double quotes")
        }
        return key
    }

    fileprivate static func invalid(_ detail: String) -> Problem {
        Problem(status: .badRequest, code: "invalid_idempotency_key", detail: detail)
    }
}
