import Foundation

/// A typed identifier: a `UserID` can never be passed where a `TaskID` is expected.
///
/// It encodes as the bare UUID string, as the HTTP contract shows ids.
public struct Identifier<Kind>: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The underlying UUID.
    public let uuid: UUID

    /// Wraps an existing UUID.
    public init(_ uuid: UUID) {
        self.uuid = uuid
    }

    /// Parses a UUID string; `nil` when the text is not a UUID.
    public init?(_ text: String) {
        guard let uuid = UUIDText.uuid(text) else { return nil }
        self.uuid = uuid
    }

    /// Reads the id from its UUID text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let uuid = UUIDText.uuid(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a UUID")
        }
        self.uuid = uuid
    }

    /// Encodes as lower-case UUID text, as the API prints every id.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The lower-cased canonical form, as the API prints ids.
    public var description: String { UUIDText.lowercased(uuid) }

    /// Orders ids the way PostgreSQL orders `uuid` values: byte by byte.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        withUnsafeBytes(of: lhs.uuid.uuid) { left in
            withUnsafeBytes(of: rhs.uuid.uuid) { right in
                left.lexicographicallyPrecedes(right)
            }
        }
    }
}

/// The phantom types that keep identifiers of different resources apart.
public enum IDKind {
    /// Marks identifiers of users.
    public enum User {}
    /// Marks identifiers of workspaces.
    public enum Workspace {}
    /// Marks identifiers of projects.
    public enum Project {}
    /// Marks identifiers of tasks.
    public enum Task {}
    /// Marks identifiers of comments.
    public enum Comment {}
    /// Marks identifiers of activity events.
    public enum ActivityEvent {}
    /// Marks identifiers of webhooks.
    public enum Webhook {}
    /// Marks identifiers of webhook deliveries.
    public enum Delivery {}
    /// Marks identifiers of personal access tokens.
    public enum PersonalToken {}
}

/// Identifies a user.
public typealias UserID = Identifier<IDKind.User>
/// Identifies a workspace.
public typealias WorkspaceID = Identifier<IDKind.Workspace>
/// Identifies a project.
public typealias ProjectID = Identifier<IDKind.Project>
/// Identifies a task.
public typealias TaskID = Identifier<IDKind.Task>
/// Identifies a comment.
public typealias CommentID = Identifier<IDKind.Comment>
/// Identifies an activity event.
public typealias ActivityID = Identifier<IDKind.ActivityEvent>
/// Identifies a webhook.
public typealias WebhookID = Identifier<IDKind.Webhook>
/// Identifies a webhook delivery.
public typealias DeliveryID = Identifier<IDKind.Delivery>
/// Identifies a personal access token.
public typealias PersonalTokenID = Identifier<IDKind.PersonalToken>
