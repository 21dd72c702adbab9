import Foundation

/// Turns a task's before and after states into the activity events of the contract: `task_completed` or
/// `task_reopened` first, then `task_moved`, then one `task_updated` with every other changed field.
/// Nothing changed, nothing recorded. `updated_at` and `version` are never listed.
public struct TaskChangeLog: Sendable {
    /// The task before the change.
    public var before: TaskItem
    /// The task after the change.
    public var after: TaskItem

    /// Creates a change log.
    public init(before: TaskItem, after: TaskItem) {
        self.before = before
        self.after = after
    }

    /// Whether any field a client can see changed, apart from `updated_at` and `version`.
    public var hasChanges: Bool {
        var comparable = before
        comparable.updatedAt = after.updatedAt
        comparable.version = after.version
        return comparable != after
    }

    /// The events, in the contract's order.
    public func events(actorID: UserID, at: Date, ids: any IDGenerator) -> [ActivityEvent] {
        func event(_ kind: ActivityEventKind, _ changes: [String: FieldChange]) -> ActivityEvent {
            ActivityEvent(
                id: ids.make(), taskID: after.id, workspaceID: after.workspaceID, projectID: after.projectID,
                formerProjectID: kind == .taskMoved ? before.projectID : nil, actorID: actorID, kind: kind, at: at,
                changes: .fields(changes))
        }
        var events: [ActivityEvent] = []
        if before.isCompleted != after.isCompleted {
            let completion: [String: FieldChange] = [
                "status": change(before.status.rawValue, after.status.rawValue),
                "completed": FieldChange(from: .bool(before.isCompleted), to: .bool(after.isCompleted)),
                "completed_at": change(
                    before.completedAt.map(Timestamp.format), after.completedAt.map(Timestamp.format)),
            ]
            events.append(event(after.isCompleted ? .taskCompleted : .taskReopened, completion))
        }
        if before.projectID != after.projectID {
            events.append(
                event(.taskMoved, ["project_id": change(before.projectID?.description, after.projectID?.description)]))
        }
        var updated: [String: FieldChange] = [:]
        func note(_ field: String, _ old: String?, _ new: String?) {
            if old != new { updated[field] = change(old, new) }
        }
        note("title", before.title, after.title)
        note("description", before.description, after.description)
        if before.isCompleted == after.isCompleted { note("status", before.status.rawValue, after.status.rawValue) }
        note("priority", before.priority.rawValue, after.priority.rawValue)
        note("assignee_id", before.assigneeID?.description, after.assigneeID?.description)
        note("due_date", before.dueDate.map(Timestamp.format), after.dueDate.map(Timestamp.format))
        note("start_date", before.startDate.map(Timestamp.format), after.startDate.map(Timestamp.format))
        note("parent_id", before.parentID?.description, after.parentID?.description)
        if before.tags != after.tags {
            updated["tags"] = FieldChange(from: .strings(before.tags), to: .strings(after.tags))
        }
        if !updated.isEmpty { events.append(event(.taskUpdated, updated)) }
        return events
    }

    private func change(_ old: String?, _ new: String?) -> FieldChange {
        FieldChange(from: old.map(ActivityValue.string) ?? .null, to: new.map(ActivityValue.string) ?? .null)
    }
}
