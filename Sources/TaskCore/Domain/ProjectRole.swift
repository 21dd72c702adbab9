/// A role in a project, strongest first: `admin`, `editor`, `commenter`, `viewer`.
public enum ProjectRole: String, Sendable, Codable, CaseIterable, Comparable {
    case admin
    case editor
    case commenter
    case viewer

    /// How strong the role is; a larger number grants more.
    public var strength: Int {
        switch self {
        case .admin: 4
        case .editor: 3
        case .commenter: 2
        case .viewer: 1
        }
    }

    /// Orders by strength: `viewer < commenter < editor < admin`.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.strength < rhs.strength }
}
