/// A role in a workspace, strongest first: `owner`, `admin`, `member`, `guest`.
public enum WorkspaceRole: String, Sendable, Codable, CaseIterable, Comparable {
    case owner
    case admin
    case member
    case guest

    /// How strong the role is; a larger number grants more.
    public var strength: Int {
        switch self {
        case .owner: 4
        case .admin: 3
        case .member: 2
        case .guest: 1
        }
    }

    /// Orders by strength: `guest < member < admin < owner`.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.strength < rhs.strength }

    /// Whether the role is `admin` or stronger.
    public var isAdminOrOwner: Bool { self >= .admin }
}
