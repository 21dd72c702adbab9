import Foundation

/// The fields of a new webhook as a client sent them.
public struct NewWebhook: Sendable {
    /// The target URL.
    public var url: String
    /// The event kinds, or `["*"]`.
    public var events: [String]
    /// Only this project's events, when set.
    public var projectID: ProjectID?
    /// Free text (empty when omitted).
    public var description: String?

    /// Creates the input.
    public init(url: String, events: [String], projectID: ProjectID? = nil, description: String? = nil) {
        self.url = url
        self.events = events
        self.projectID = projectID
        self.description = description
    }
}

/// A change to a webhook; every field is left unchanged unless given.
public struct WebhookPatch: Sendable {
    /// A new target URL.
    public var url: FieldPatch<String> = .unchanged
    /// New event kinds.
    public var events: FieldPatch<[String]> = .unchanged
    /// A new project, or `nil` for every project.
    public var projectID: FieldPatch<ProjectID?> = .unchanged
    /// A new description.
    public var description: FieldPatch<String> = .unchanged
    /// Enables or disables it; enabling clears `disabled_reason`.
    public var isEnabled: FieldPatch<Bool> = .unchanged

    /// Creates a patch.
    public init(
        url: FieldPatch<String> = .unchanged, events: FieldPatch<[String]> = .unchanged,
        projectID: FieldPatch<ProjectID?> = .unchanged, description: FieldPatch<String> = .unchanged,
        isEnabled: FieldPatch<Bool> = .unchanged
    ) {
        self.url = url
        self.events = events
        self.projectID = projectID
        self.description = description
        self.isEnabled = isEnabled
    }
}

/// Makes webhook signing secrets: `whsec_` followed by the base64 of 32 random bytes.
public protocol WebhookSecretMaker: Sendable {
    /// A new secret.
    func make() -> String
}

/// The production secret maker, on the system's random number generator.
public struct RandomWebhookSecrets: WebhookSecretMaker {
    /// Creates the maker.
    public init() {}

    /// A new secret.
    public func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "whsec_" + Data(bytes).base64EncodedString()
    }
}
