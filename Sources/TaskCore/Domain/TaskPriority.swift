/// How urgent a task is; sorting by priority goes by `severity` (`none` lowest).
public enum TaskPriority: String, Sendable, Codable, CaseIterable, Comparable {
    case none
    case low
    case medium
    case high
    case urgent

    /// 0 for `none` up to 4 for `urgent`; also the sort key stores index.
    public var severity: Int {
        switch self {
        case .none: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        case .urgent: 4
        }
    }

    /// Every severity there is.
    public static let severities: ClosedRange<Int> = 0...4

    /// Orders by severity.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.severity < rhs.severity }
}
