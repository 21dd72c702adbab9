/// What a personal access token may do. `read` covers every `GET`; each `…:write` scope covers the changes of one
/// group of resources. A token has one or more.
public enum TokenScope: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Every `GET` the token's user may make.
    case read
    /// Creating, changing and deleting tasks and comments.
    case tasksWrite = "tasks:write"
    /// Creating, changing and deleting projects and their members.
    case projectsWrite = "projects:write"
    /// Creating, changing and deleting workspaces and their members.
    case workspacesWrite = "workspaces:write"
    /// Managing a workspace's webhooks and their deliveries.
    case webhooksWrite = "webhooks:write"

    /// Orders scopes as `allCases` lists them, so that a token's scopes always print in one order.
    public static func < (lhs: TokenScope, rhs: TokenScope) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .read: 0
        case .tasksWrite: 1
        case .projectsWrite: 2
        case .workspacesWrite: 3
        case .webhooksWrite: 4
        }
    }
}
