import HTTPTypes
import TaskCore

extension DomainError {
    /// The one place where a domain error becomes an HTTP status and problem `code`.
    var problem: Problem {
        switch self {
        case .notFound(let kind):
            Problem(status: .notFound, code: "\(kind.rawValue)_not_found", detail: "\(kind.title) not found")
        case .forbidden:
            Problem(status: .forbidden, code: "forbidden", detail: "You may not do this")
        case .conflict(let reason):
            Problem(status: .conflict, code: reason.rawValue, detail: reason.detail)
        case .validation(let errors):
            Problem.invalid(errors)
        case .versionMismatch(let current):
            Problem(
                status: .preconditionFailed, code: "version_mismatch",
                detail: "The resource changed since you read it (its tag is now \(current)); nothing was changed",
                headers: [.eTag: "\"\(current)\""])
        case .preconditionRequired:
            Problem(
                status: .preconditionRequired, code: "precondition_required",
                detail: "Send If-Match with the ETag you read; this server refuses unconditional changes")
        case .wrongPassword:
            Problem(status: .forbidden, code: "wrong_password", detail: "The current password is wrong")
        case .insufficientScope(let scope):
            Problem(
                status: .forbidden, code: "insufficient_scope",
                detail: "This token lacks the \(scope.rawValue) scope that the route needs",
                headers: [.wwwAuthenticate: "Bearer error=\"insufficient_scope\", scope=\"\(scope.rawValue)\""])
        case .unauthenticated:
            Problem(
                status: .unauthorized, code: "unauthenticated", detail: "A valid bearer token is required",
                headers: [.wwwAuthenticate: "Bearer"])
        case .invalidCredentials:
            Problem(
                status: .unauthorized, code: "invalid_credentials", detail: "The email or password is wrong",
                headers: [.wwwAuthenticate: "Bearer"])
        case .tooManyAttempts(let seconds):
            Problem(
                status: .tooManyRequests, code: "too_many_attempts", detail: "Too many attempts; try again later",
                headers: [.retryAfter: "\(seconds)"])
        case .storeUnavailable:
            Problem(
                status: .serviceUnavailable, code: "store_unavailable",
                detail: "The database is unavailable; try again shortly",
                headers: [.retryAfter: "5"])
        case .idempotencyKeyReused:
            Problem(
                status: .unprocessableContent, code: "idempotency_key_reused",
                detail: "This Idempotency-Key was sent with another request; use a new key for a new request",
                errors: [FieldError(field: "Idempotency-Key", message: "was used for another request")])
        case .idempotencyKeyInUse(let seconds):
            Problem(
                status: .conflict, code: "idempotency_key_in_use",
                detail: "A request with this Idempotency-Key is still running; retry shortly",
                headers: [.retryAfter: "\(seconds)"])
        case .cursorExpired:
            Problem(
                status: .gone, code: "cursor_expired",
                detail: "The cursor is older than the events kept; re-read the resources, then start with after=now")
        }
    }
}

extension ConflictReason {
    /// A human sentence for the problem's `detail`.
    var detail: String {
        switch self {
        case .emailTaken: "Another account uses this email address"
        case .alreadyMember: "The user is already a member"
        case .lastOwner: "A workspace needs at least one owner"
        case .projectArchived: "The project is archived and read-only"
        case .webhookDisabled: "The webhook is disabled; enable it first"
        case .tooManyTokens: "You have as many unexpired tokens as allowed; revoke one first"
        }
    }
}
