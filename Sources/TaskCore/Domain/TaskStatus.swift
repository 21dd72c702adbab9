/// Where a task stands. `done` and "completed" are the same thing.
public enum TaskStatus: String, Sendable, Codable, CaseIterable {
    case todo
    case inProgress = "in_progress"
    case done
}
