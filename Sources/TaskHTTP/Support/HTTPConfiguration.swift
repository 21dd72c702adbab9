/// What an operator configures about the HTTP adapter.
public struct HTTPConfiguration: Sendable {
    /// Origins allowed by CORS (`TASKD_ALLOWED_ORIGINS`); `*` allows any.
    public var allowedOrigins: [String]
    /// Addresses of proxies whose `X-Forwarded-For` is believed (`TASKD_TRUSTED_PROXIES`).
    public var trustedProxies: Set<String>
    /// The version `GET /` reports.
    public var version: String
    /// Whether every `PATCH`, `PUT` and `DELETE` of a resource must carry `If-Match` (`TASKD_REQUIRE_IF_MATCH`);
    /// one without it is `428 precondition_required`.
    public var requiresIfMatch: Bool

    /// Creates a configuration.
    public init(
        allowedOrigins: [String] = [], trustedProxies: Set<String> = [], version: String = TaskdVersion.current,
        requiresIfMatch: Bool = false
    ) {
        self.allowedOrigins = allowedOrigins
        self.trustedProxies = trustedProxies
        self.version = version
        self.requiresIfMatch = requiresIfMatch
    }
}

/// The version of this build of taskd.
public enum TaskdVersion {
    /// The version string.
    public static let current = "0.1.0"
}
