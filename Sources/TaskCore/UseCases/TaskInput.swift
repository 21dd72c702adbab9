import Foundation

/// The fields of a new task as a client sent them.
public struct NewTask: Sendable {
    /// The title (required).
    public var title: String
    /// The description (empty when omitted).
    public var description: String?
    /// The project; with a parent, it must be the parent's.
    public var projectID: ProjectID?
    /// The workspace; with neither a project nor a workspace, the caller's personal workspace.
    public var workspaceID: WorkspaceID?
    /// The parent task, for a subtask.
    public var parentID: TaskID?
    /// The assignee.
    public var assigneeID: UserID?
    /// The status (`todo` when omitted).
    public var status: TaskStatus?
    /// The priority (`none` when omitted).
    public var priority: TaskPriority?
    /// The due date.
    public var dueDate: Date?
    /// The start date.
    public var startDate: Date?
    /// The tags.
    public var tags: [String]?

    /// Creates the input.
    public init(
        title: String, description: String? = nil, projectID: ProjectID? = nil, workspaceID: WorkspaceID? = nil,
        parentID: TaskID? = nil, assigneeID: UserID? = nil, status: TaskStatus? = nil, priority: TaskPriority? = nil,
        dueDate: Date? = nil, startDate: Date? = nil, tags: [String]? = nil
    ) {
        self.title = title
        self.description = description
        self.projectID = projectID
        self.workspaceID = workspaceID
        self.parentID = parentID
        self.assigneeID = assigneeID
        self.status = status
        self.priority = priority
        self.dueDate = dueDate
        self.startDate = startDate
        self.tags = tags
    }
}

/// A partial update of a task (`PATCH`). `.set(nil)` clears a field: an optional field becomes `null`, the
/// description and tags become empty, status `todo`, priority `none`. A `nil` title is refused.
public struct TaskPatch: Sendable {
    /// A new title.
    public var title: FieldPatch<String?> = .unchanged
    /// A new description.
    public var description: FieldPatch<String?> = .unchanged
    /// A new status.
    public var status: FieldPatch<TaskStatus?> = .unchanged
    /// Completes (`true`) or reopens (`false`) the task; must agree with `status` when both are given.
    public var isCompleted: FieldPatch<Bool?> = .unchanged
    /// A new priority.
    public var priority: FieldPatch<TaskPriority?> = .unchanged
    /// A new assignee.
    public var assigneeID: FieldPatch<UserID?> = .unchanged
    /// A new due date.
    public var dueDate: FieldPatch<Date?> = .unchanged
    /// A new start date.
    public var startDate: FieldPatch<Date?> = .unchanged
    /// New tags.
    public var tags: FieldPatch<[String]?> = .unchanged
    /// A new project (moves the task with its subtasks), or `nil` to take it out of its project.
    public var projectID: FieldPatch<ProjectID?> = .unchanged

    /// Creates a patch; every field is left unchanged unless given.
    public init(
        title: FieldPatch<String?> = .unchanged, description: FieldPatch<String?> = .unchanged,
        status: FieldPatch<TaskStatus?> = .unchanged, isCompleted: FieldPatch<Bool?> = .unchanged,
        priority: FieldPatch<TaskPriority?> = .unchanged, assigneeID: FieldPatch<UserID?> = .unchanged,
        dueDate: FieldPatch<Date?> = .unchanged, startDate: FieldPatch<Date?> = .unchanged,
        tags: FieldPatch<[String]?> = .unchanged, projectID: FieldPatch<ProjectID?> = .unchanged
    ) {
        self.title = title
        self.description = description
        self.status = status
        self.isCompleted = isCompleted
        self.priority = priority
        self.assigneeID = assigneeID
        self.dueDate = dueDate
        self.startDate = startDate
        self.tags = tags
        self.projectID = projectID
    }

    /// A full replacement (`PUT`): the title is required; every other editable field is reset to its default
    /// when omitted. The project changes only when `projectID` is given.
    public static func replacing(
        title: String, description: String? = nil, status: TaskStatus? = nil, priority: TaskPriority? = nil,
        assigneeID: UserID? = nil, dueDate: Date? = nil, startDate: Date? = nil, tags: [String]? = nil,
        projectID: FieldPatch<ProjectID?> = .unchanged
    ) -> TaskPatch {
        TaskPatch(
            title: .set(title), description: .set(description), status: .set(status), priority: .set(priority),
            assigneeID: .set(assigneeID), dueDate: .set(dueDate), startDate: .set(startDate), tags: .set(tags),
            projectID: projectID)
    }
}

/// The task text rules: a title of 1...500 characters, a description of at most 65,536, at most 20 tags of
/// 1...50 characters each (duplicates dropped, first one kept).
enum TaskTextRules {
    static func title(_ text: String, into errors: inout FieldErrors) -> String? {
        TextRules.trimmed(text, field: "title", length: FieldLimits.title, into: &errors)
    }

    static func description(_ text: String?, into errors: inout FieldErrors) -> String? {
        TextRules.trimmed(text ?? "", field: "description", length: FieldLimits.description, into: &errors)
    }

    static func tags(_ tags: [String]?, into errors: inout FieldErrors) -> [String]? {
        guard let tags else { return [] }
        if tags.count > FieldLimits.tagCount {
            errors.add("tags", "must hold at most \(FieldLimits.tagCount) tags")
            return nil
        }
        var result: [String] = []
        var isValid = true
        for (index, tag) in tags.enumerated() {
            guard let value = TextRules.trimmed(tag, field: "tags[\(index)]", length: FieldLimits.tag, into: &errors)
            else {
                isValid = false
                continue
            }
            if !result.contains(value) { result.append(value) }
        }
        return isValid ? result : nil
    }
}

extension NewTask {
    /// What is wrong with the text fields, found without a store: an adapter reports these together with its own
    /// faults (a wrong type, an unknown choice) so that one `422` names every bad field. The use case checks them
    /// again.
    public var fieldErrors: [FieldError] {
        Self.fieldErrors(title: title, description: description, tags: tags)
    }

    /// What is wrong with the text fields given; a field left `nil` (absent, or unreadable) is not checked.
    public static func fieldErrors(title: String?, description: String?, tags: [String]?) -> [FieldError] {
        var errors = FieldErrors()
        if let title { _ = TaskTextRules.title(title, into: &errors) }
        if let description { _ = TaskTextRules.description(description, into: &errors) }
        if let tags { _ = TaskTextRules.tags(tags, into: &errors) }
        return errors.all
    }
}

extension TaskPatch {
    /// What is wrong with the patch's fields, found without a store (see `NewTask.fieldErrors`).
    public var fieldErrors: [FieldError] {
        do {
            _ = try CheckedTaskPatch(self)
            return []
        } catch DomainError.validation(let errors) {
            return errors
        } catch {
            return []
        }
    }
}
