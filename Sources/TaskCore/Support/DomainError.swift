/// Every failure a use case reports on purpose. The HTTP layer maps each case to one status and problem `code`.
public enum DomainError: Error, Sendable, Equatable {
    /// The resource does not exist, or the caller may not see it (the two are never told apart).
    case notFound(ResourceKind)
    /// The caller can see the resource but may not change it in that way.
    case forbidden
    /// The request clashes with the stored state.
    case conflict(ConflictReason)
    /// The input breaks one or more field rules; each names the body field or query parameter at fault.
    case validation([FieldError])
    /// `If-Match` (or the version a change was based on) does not name the resource's current tag (its version,
    /// and for a workspace the caller's role: `7-owner`).
    case versionMismatch(currentTag: String)
    /// The server requires `If-Match` on every change of a resource, and the request has none.
    case preconditionRequired
    /// The current password given to change a password is wrong.
    case wrongPassword
    /// The caller's personal access token lacks the scope the route needs.
    case insufficientScope(TokenScope)
    /// The caller is not authenticated: no user, a disabled user, or an unacceptable credential.
    case unauthenticated
    /// An email and password pair does not match a usable account.
    case invalidCredentials
    /// Too many failed logins; retry after the given number of seconds.
    case tooManyAttempts(retryAfterSeconds: Int)
    /// The store cannot be reached; the operation may be retried later.
    case storeUnavailable
    /// An idempotency key was sent again with another request (another method, path, query or body).
    case idempotencyKeyReused
    /// An idempotency key is held by a request that is still running; retry after the given number of seconds.
    case idempotencyKeyInUse(retryAfterSeconds: Int)
    /// A feed cursor is older than the events the store keeps: the reader may have missed some.
    case cursorExpired

    /// Builds a validation error for a single field.
    public static func invalid(_ field: String, _ message: String) -> DomainError {
        .validation([FieldError(field: field, message: message)])
    }
}

/// The kinds of resources a `notFound` names; the raw value is the stem of its code (`task_not_found`).
public enum ResourceKind: String, Sendable, Equatable, CaseIterable {
    case user
    case workspace
    case member
    case project
    case projectMember = "project_member"
    case task
    case comment
    case webhook
    case delivery
    case token

    /// A capitalised human name for problem details ("Task not found").
    public var title: String {
        switch self {
        case .user: "User"
        case .workspace: "Workspace"
        case .member: "Workspace member"
        case .project: "Project"
        case .projectMember: "Project member"
        case .task: "Task"
        case .comment: "Comment"
        case .webhook: "Webhook"
        case .delivery: "Delivery"
        case .token: "Token"
        }
    }
}

/// Why a change clashes with the stored state; the raw value is the problem `code`.
public enum ConflictReason: String, Sendable, Equatable, CaseIterable {
    /// Another account already uses the email address.
    case emailTaken = "email_taken"
    /// The user already belongs to the workspace or project.
    case alreadyMember = "already_member"
    /// The change would leave a workspace without an owner.
    case lastOwner = "last_owner"
    /// The project is archived and therefore read-only.
    case projectArchived = "project_archived"
    /// The webhook is disabled: nothing is sent to it until it is enabled again.
    case webhookDisabled = "webhook_disabled"
    /// The user already has as many unexpired personal access tokens as allowed.
    case tooManyTokens = "too_many_tokens"
}

/// One broken rule of one input field.
public struct FieldError: Sendable, Equatable, Codable {
    /// The body field or query parameter, as the client spelled it (`title`, `tags[3]`, `limit`).
    public var field: String
    /// What is wrong, as a short phrase ("must not be empty").
    public var message: String

    /// Creates a field error.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}
