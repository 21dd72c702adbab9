import Foundation

/// A task list ordering: a field and a direction. Ties are broken by id in the same direction; tasks without a
/// due date come last in both directions of `due_date`; `priority` goes by severity (`none` lowest).
public struct TaskSort: Sendable, Equatable {
    /// The fields a task list can be sorted by.
    public enum Field: String, Sendable, CaseIterable {
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case dueDate = "due_date"
        case priority
    }

    /// The field.
    public var field: Field
    /// Whether the order is descending.
    public var isDescending: Bool

    /// Creates an ordering.
    public init(field: Field, isDescending: Bool = false) {
        self.field = field
        self.isDescending = isDescending
    }

    /// The default ordering: oldest first.
    public static let `default` = TaskSort(field: .createdAt)

    /// Parses the `sort` query value (`due_date`, `-priority`, ...).
    /// - Throws: `DomainError.validation` naming `sort` for anything else.
    public init(parsing text: String) throws {
        let isDescending = text.hasPrefix("-")
        guard let field = Field(rawValue: isDescending ? String(text.dropFirst()) : text) else {
            let names = Field.allCases.map(\.rawValue).joined(separator: ", ")
            throw DomainError.invalid("sort", "must be one of \(names), optionally prefixed with -")
        }
        self.init(field: field, isDescending: isDescending)
    }

    /// The sort values a cursor of this ordering may carry.
    public var cursorValues: CursorValues {
        switch field {
        case .createdAt, .updatedAt: .dates
        case .dueDate: .optionalDates
        case .priority: .integers(TaskPriority.severities)
        }
    }

    /// The query form of this ordering; also names the ordering inside cursors.
    public var name: String { (isDescending ? "-" : "") + field.rawValue }

    /// Where `task` stands in this ordering.
    public func position(of task: TaskItem) -> PagePosition {
        PagePosition(value: sortValue(of: task), id: task.id.uuid)
    }

    /// The value of the sort field of `task`.
    public func sortValue(of task: TaskItem) -> SortValue {
        switch field {
        case .createdAt: .date(task.createdAt)
        case .updatedAt: .date(task.updatedAt)
        case .dueDate: task.dueDate.map(SortValue.date) ?? .null
        case .priority: .int(task.priority.severity)
        }
    }

    /// Whether a row at `lhs` comes before a row at `rhs` in this ordering.
    public func precedes(_ lhs: PagePosition, _ rhs: PagePosition) -> Bool {
        switch (lhs.value, rhs.value) {
        case (.null, .null):
            break
        case (.null, _):
            return false
        case (_, .null):
            return true
        default:
            if let order = Self.compare(lhs.value, rhs.value), order != .orderedSame {
                return isDescending ? order == .orderedDescending : order == .orderedAscending
            }
        }
        let leftID = TaskID(lhs.id)
        let rightID = TaskID(rhs.id)
        return isDescending ? rightID < leftID : leftID < rightID
    }

    private static func compare(_ lhs: SortValue, _ rhs: SortValue) -> ComparisonResult? {
        switch (lhs, rhs) {
        case (.date(let left), .date(let right)):
            left.millisecondsSince1970 == right.millisecondsSince1970
                ? .orderedSame : (left < right ? .orderedAscending : .orderedDescending)
        case (.int(let left), .int(let right)):
            left == right ? .orderedSame : (left < right ? .orderedAscending : .orderedDescending)
        default:
            nil
        }
    }
}
