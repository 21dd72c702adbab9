import Crypto
import Hummingbird
import NIOCore
import TaskCore

/// Makes the `POST` and `PATCH` routes under `/api/v1` honour `Idempotency-Key`: the first request with a key runs
/// and its answer is recorded with its change (`IdempotencyService`); a retry with the same key and the same
/// request gets that answer again, with `Idempotent-Replayed: true`, and changes nothing.
///
/// Routes whose answers hold secrets (`/auth/*`, the password change, a new personal access token) ignore the
/// header, as do `GET`, `PUT` and `DELETE`.
struct IdempotentRetries: Sendable {
    let service: IdempotencyService

    /// Whether the route takes `Idempotency-Key`.
    static func applies(to method: HTTPRequest.Method, path: String) -> Bool {
        guard method == .post || method == .patch, path.hasPrefix("/api/v1/") else { return false }
        if path.hasPrefix("/api/v1/auth/") || path == "/api/v1/users/me/password" { return false }
        return !(method == .post && path == "/api/v1/users/me/tokens")
    }

    /// `handler`, run at most once per key.
    func wrap(_ handler: @escaping Route.CallerHandler) -> Route.CallerHandler {
        let service = service
        return { request, context in
            guard let key = try IdempotencyKeyHeader.key(in: request.headers) else {
                return try await handler(request, context)
            }
            return try await Self.perform(
                request, key: key, userID: context.caller.id, maxUploadSize: context.request.maxUploadSize,
                service: service, checkBeforeReplay: {}, handler: { try await handler($0, context) })
        }
    }

    /// `handler`, run at most once per key, for the user the claim names. A replayed answer is given only once the
    /// claim is checked against its user (a first run checks it in its use case). A record belongs to a user: a
    /// keyed request with a personal access token, whose user is known only once the token is read, reads it first.
    func wrap(_ handler: @escaping Route.ClaimHandler) -> Route.ClaimHandler {
        let service = service
        return { request, context in
            guard let key = try IdempotencyKeyHeader.key(in: request.headers) else {
                return try await handler(request, context)
            }
            let (userID, context) = try await context.identifiedUser()
            return try await Self.perform(
                request, key: key, userID: userID, maxUploadSize: context.request.maxUploadSize, service: service,
                checkBeforeReplay: { _ = try await context.caller() }, handler: { try await handler($0, context) })
        }
    }

    /// Runs `handler` for `request`, or replays the answer recorded for `key`, the request's `Idempotency-Key`.
    private static func perform(
        _ request: Request, key: String, userID: UserID, maxUploadSize: Int, service: IdempotencyService,
        checkBeforeReplay: () async throws -> Void,
        handler: @escaping @Sendable (Request) async throws -> Response
    ) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: maxUploadSize)
        let fingerprinted = IdempotentRequest(
            userID: userID, key: key, fingerprint: Self.fingerprint(of: request, body: body))
        let replayable = request
        let outcome = try await service.perform(fingerprinted, record: { $0.recording }) {
            try await RecordableResponse(answering: {
                try await Responses.$encodesBodyLater.withValue(true) { try await handler(replayable) }
            })
        }
        switch outcome {
        case .performed(let answer):
            return try await answer.response()
        case .replayed(let answer):
            try await checkBeforeReplay()
            return try await Self.replay(answer)
        }
    }

    /// SHA-256 of the method, the target (path and query as sent) and the body bytes, in hex.
    static func fingerprint(of request: Request, body: ByteBuffer) -> String {
        var hash = SHA256()
        let separator: [UInt8] = [0]
        var method = request.method.rawValue
        var target = request.head.path ?? ""
        // The bytes as they are, without copying the body or the strings into arrays first.
        method.withUTF8 { hash.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        hash.update(data: separator)
        target.withUTF8 { hash.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        hash.update(data: separator)
        body.withUnsafeReadableBytes { hash.update(bufferPointer: $0) }
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(2 * SHA256.byteCount)
        for byte in hash.finalize() {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// The recorded answer again, marked as replayed.
    static func replay(_ answer: RecordedAnswer) async throws -> Response {
        var fields: HTTPFields = [.idempotentReplayed: "true"]
        if let contentType = answer.contentType { fields[.contentType] = contentType }
        if let location = answer.location { fields[.location] = location }
        if let eTag = answer.eTag { fields[.eTag] = eTag }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: try await answer.body.bytes())))
    }
}

/// A handler's answer whose body is made at most once: it can be recorded in its change's transaction without
/// being encoded there (a store that needs the bytes in the transaction, as PostgreSQL does, makes them then), and
/// is made into bytes for the client once the change has committed.
struct RecordableResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: AnswerBody

    /// The answer of `handler`; an error that has a problem document becomes that document's answer, any other
    /// error (a fault) is thrown on, and so is `unauthenticated`: a credential that is refused gets `401` and
    /// neither records an answer nor hears one recorded for the key.
    init(answering handler: () async throws -> Response) async throws {
        let response: Response
        do {
            response = try await handler()
        } catch {
            guard error as? DomainError != .unauthenticated, let problem = Problem(answering: error) else {
                throw error
            }
            response = problem.response()
        }
        status = response.status
        headers = response.headers
        let responseBody = response.body
        body = AnswerBody(making: {
            let sink = BodySink()
            try await responseBody.write(sink)
            return Array(sink.buffer.readableBytesView)
        })
    }

    /// The answer to send, its body made now unless the store made it for the record.
    func response() async throws -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try await body.bytes())))
    }

    /// How the answer is recorded: a 2xx with its change; a 403, 404, 409, 412 or 422, which change nothing, on its
    /// own; any other (400, 401, 413, 415, 429, 5xx, …) not at all, its change rolled back, so that the request
    /// may be retried with the same key.
    var recording: IdempotencyService.Recording {
        let code = status.code
        // One pass over the fields, each taken once: `HTTPFields`' subscript joins every value of a name into a
        // new string, and this runs inside the change's transaction.
        var contentType: String?
        var location: String?
        var eTag: String?
        for field in headers {
            switch field.name {
            case .contentType: contentType = contentType ?? field.value
            case .location: location = location ?? field.value
            case .eTag: eTag = eTag ?? field.value
            default: continue
            }
        }
        let answer = RecordedAnswer(status: code, contentType: contentType, location: location, eTag: eTag, body: body)
        if (200..<300).contains(code) { return .withChange(answer) }
        return Self.recordedFailures.contains(code) ? .withoutChange(answer) : .none
    }

    private static let recordedFailures: Set<Int> = [403, 404, 409, 412, 422]
}

/// Collects the bytes a response body writes.
private final class BodySink: ResponseBodyWriter, @unchecked Sendable {
    // Written by one task only: the one that awaits `ResponseBody.write`.
    var buffer = ByteBuffer()

    func write(_ buffer: ByteBuffer) async throws {
        // A body of one part, which every JSON answer is, is kept as it is instead of copied.
        guard self.buffer.readableBytes > 0 else {
            self.buffer = buffer
            return
        }
        var copy = buffer
        self.buffer.writeBuffer(&copy)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
