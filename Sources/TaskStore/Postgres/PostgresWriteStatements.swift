import Foundation
import PostgresNIO
import TaskCore

// The writes of the busiest requests (creating and changing tasks, recording their activity) as prepared
// statements: PostgreSQL parses and plans each once per connection instead of once per request.

/// Stores a new task.
struct InsertTaskStatement: AppendsBindings {
    typealias Row = ()

    static let sql = """
        INSERT INTO tasks (id, workspace_id, owner_id, created_at, project_id, parent_id, title, description, status,
                           completed_at, priority, assignee_id, due_date, start_date, tags, updated_at, version)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
        """
    static let bindingDataTypes: [PostgresDataType] =
        [.uuid, .uuid, .uuid, .timestamptz] + PostgresBindings.editableTaskFieldTypes + [.timestamptz, .int4]

    var task: TaskItem

    /// Appends the statement's seventeen bindings, in order.
    func appendBindings(to bindings: inout PostgresBindings) {
        bindings.append(task.id.uuid)
        bindings.append(task.workspaceID.uuid)
        bindings.append(task.ownerID.uuid)
        bindings.append(task.createdAt.bound)
        bindings.appendEditableFields(of: task)
        bindings.append(task.updatedAt.bound)
        bindings.append(Int32(task.version))
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

/// Replaces a task's fields when its stored version is still `expectedVersion`; returns a row when it was.
struct UpdateTaskStatement: AppendsBindings {
    typealias Row = Int32

    static let sql = """
        UPDATE tasks SET project_id = $2, parent_id = $3, title = $4, description = $5, status = $6, completed_at = $7,
            priority = $8, assignee_id = $9, due_date = $10, start_date = $11, tags = $12, updated_at = $13,
            version = $14
        WHERE id = $1 AND version = $15
        RETURNING 1
        """
    static let bindingDataTypes: [PostgresDataType] =
        [.uuid] + PostgresBindings.editableTaskFieldTypes + [.timestamptz, .int4, .int4]

    var task: TaskItem
    var expectedVersion: Int

    /// Appends the statement's fifteen bindings, in order.
    func appendBindings(to bindings: inout PostgresBindings) {
        bindings.append(task.id.uuid)
        bindings.appendEditableFields(of: task)
        bindings.append(task.updatedAt.bound)
        bindings.append(Int32(task.version))
        bindings.append(Int32(expectedVersion))
    }

    func decodeRow(_ row: PostgresRow) throws -> Int32 {
        try row.decode(Int32.self)
    }
}

/// Appends events in the given order (one statement for any number of events), queues a delivery for each webhook
/// an event matches, and tells the other taskd processes on the database, once the transaction commits, that there
/// are new events (`NOTIFY taskd_events`, see `EventNotification`). Its one row says whether it queued deliveries.
struct InsertEventsStatement: AppendsBindings {
    typealias Row = Bool

    static let sql = "WITH " + expressions(parametersFrom: 1)
    static let bindingDataTypes: [PostgresDataType] = [
        .uuidArray, .textArray, .uuidArray, .textArray, .textArray, .uuidArray, .textArray, .int8Array, .textArray,
        .text,
    ]

    /// The statement after its `WITH`, its ten parameters numbered from `first` on, so that another statement can
    /// put its own common table expressions and parameters before it; the events are inserted only when
    /// `condition` holds, and the row also holds `extraColumn`.
    static func expressions(parametersFrom first: Int, onlyIf condition: String = "true", extraColumn: String? = nil)
        -> String
    {
        func p(_ n: Int) -> String { "$\(first + n - 1)" }
        return """
            inserted AS (
            INSERT INTO activity_events (
                id, task_id, workspace_id, project_id, former_project_id, actor_id, kind, at, changes)
            SELECT e.id, e.task_id, e.workspace_id, e.project_id, e.former_project_id, e.actor_id, e.kind, e.at,
                e.changes::jsonb
            FROM unnest(\(p(1))::uuid[], \(p(2))::text[], \(p(3))::uuid[], \(p(4))::text[], \(p(5))::text[],
                    \(p(6))::uuid[], \(p(7))::text[], \(p(8))::int8[], \(p(9))::text[])
                WITH ORDINALITY AS e0(
                    id, task_id, workspace_id, project_id, former_project_id, actor_id, kind, at_micros, changes, n)
            CROSS JOIN LATERAL (SELECT e0.id, NULLIF(e0.task_id, '')::uuid AS task_id, e0.workspace_id,
                NULLIF(e0.project_id, '')::uuid AS project_id,
                NULLIF(e0.former_project_id, '')::uuid AS former_project_id, e0.actor_id, e0.kind,
                timestamptz '2000-01-01 00:00:00+00' + e0.at_micros * interval '1 microsecond' AS at, e0.changes) e
            WHERE \(condition)
            ORDER BY e0.n
            RETURNING id, workspace_id, project_id, former_project_id, kind, at, sequence
            ), queued AS (
            INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_sequence, kind, status, next_attempt_at,
                created_at, updated_at)
            SELECT gen_random_uuid(), w.id, i.id, i.sequence, i.kind, 'pending', i.at, i.at, i.at
            FROM inserted i JOIN webhooks w ON w.workspace_id = i.workspace_id AND w.enabled
                AND (w.project_id IS NULL OR w.project_id = i.project_id OR w.project_id = i.former_project_id)
                AND (w.events = '{*}' OR i.kind = ANY(w.events))
            ORDER BY i.sequence
            RETURNING 1
            ), anyQueued AS (SELECT EXISTS (SELECT 1 FROM queued) AS value)
            SELECT pg_notify('\(PostgresEventListener.channel)',
                \(p(10)) || CASE WHEN anyQueued.value THEN '\(EventNotification.deliveriesMarker)' ELSE '' END),
                anyQueued.value\(extraColumn.map { ", " + $0 } ?? "")
            FROM anyQueued
            """
    }

    var events: [ActivityEvent]
    /// Each event's `changes` as JSON text, in the order of `events`.
    var changes: [String]
    /// The writing store's id, the notification's payload.
    var writer: String

    /// Appends the statement's ten bindings, in order.
    func appendBindings(to bindings: inout PostgresBindings) {
        bindings.append(events.map(\.id.uuid))
        bindings.append(events.map { $0.taskID?.description ?? "" })
        bindings.append(events.map(\.workspaceID.uuid))
        bindings.append(events.map { $0.projectID?.description ?? "" })
        bindings.append(events.map { $0.formerProjectID?.description ?? "" })
        bindings.append(events.map(\.actorID.uuid))
        bindings.append(events.map(\.kind.rawValue))
        bindings.append(events.map { $0.at.bound.microsecondsSince2000 })
        bindings.append(changes)
        bindings.append(writer)
    }

    func decodeRow(_ row: PostgresRow) throws -> Bool {
        try PostgresRandomAccessRow(row)[1].decode(Bool.self)
    }
}

/// A prepared statement whose bindings another statement can put among its own.
protocol AppendsBindings: PostgresPreparedStatement {
    /// Appends the statement's bindings, in order.
    func appendBindings(to bindings: inout PostgresBindings)
}

extension AppendsBindings {
    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: Self.bindingDataTypes.count)
        appendBindings(to: &bindings)
        return bindings
    }
}

/// A row's write and the events that record it, in one statement: the write's bindings, then the events'.
protocol WriteWithEvents: AppendsBindings {
    associatedtype Write: AppendsBindings
    /// The row's write.
    var write: Write { get }
    /// The events' insert.
    var events: InsertEventsStatement { get }
}

extension WriteWithEvents {
    func appendBindings(to bindings: inout PostgresBindings) {
        write.appendBindings(to: &bindings)
        events.appendBindings(to: &bindings)
    }

    /// `Write`'s statement (`sql`, which returns a row when it changed one) under the name `name`, then the events'
    /// insert, made only when the write changed its row; the row's third column says whether it did
    /// (`InsertEventsStatement.flags`).
    static func conditionalSQL(writing sql: String, as name: String, parameterCount: Int) -> String {
        "WITH \(name) AS (\(sql)), "
            + InsertEventsStatement.expressions(
                parametersFrom: parameterCount + 1, onlyIf: "EXISTS (SELECT 1 FROM \(name))",
                extraColumn: "EXISTS (SELECT 1 FROM \(name))")
    }
}

extension InsertEventsStatement {
    /// Whether the events queued deliveries, and the row's extra column (for a conditional write, whether it was
    /// made), from the row of a statement built on `expressions(parametersFrom:onlyIf:extraColumn:)`.
    static func flags(_ row: PostgresRow) throws -> (queuedDeliveries: Bool, extra: Bool) {
        let cells = PostgresRandomAccessRow(row)
        return (queuedDeliveries: try cells[1].decode(Bool.self), extra: try cells[2].decode(Bool.self))
    }
}

/// `UpdateTaskStatement` and `InsertEventsStatement` in one statement: a task's change and the events that record
/// it, one round trip. The events are inserted only when the update was made (the version still matched).
struct UpdateTaskWithEventsStatement: WriteWithEvents {
    /// Whether the update was made, and whether the events queued deliveries.
    typealias Row = (updated: Bool, queuedDeliveries: Bool)

    static let sql = conditionalSQL(
        writing: UpdateTaskStatement.sql, as: "task", parameterCount: UpdateTaskStatement.bindingDataTypes.count)
    static let bindingDataTypes = UpdateTaskStatement.bindingDataTypes + InsertEventsStatement.bindingDataTypes

    var write: UpdateTaskStatement
    var events: InsertEventsStatement

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let flags = try InsertEventsStatement.flags(row)
        return (updated: flags.extra, queuedDeliveries: flags.queuedDeliveries)
    }
}

/// `InsertTaskStatement` and `InsertEventsStatement` in one statement: a new task and the events that record it,
/// one round trip. Its one row says whether the events queued deliveries.
struct InsertTaskWithEventsStatement: WriteWithEvents {
    typealias Row = Bool

    static let sql =
        "WITH task AS (\(InsertTaskStatement.sql) RETURNING 1), "
        + InsertEventsStatement.expressions(parametersFrom: InsertTaskStatement.bindingDataTypes.count + 1)
    static let bindingDataTypes = InsertTaskStatement.bindingDataTypes + InsertEventsStatement.bindingDataTypes

    var write: InsertTaskStatement
    var events: InsertEventsStatement

    func decodeRow(_ row: PostgresRow) throws -> Bool { try events.decodeRow(row) }
}

extension PostgresBindings {
    /// The types of `appendEditableFields(of:)`, in its order.
    static let editableTaskFieldTypes: [PostgresDataType] = [
        .uuid, .uuid, .text, .text, .text, .timestamptz, .int2, .uuid, .timestamptz, .timestamptz, .textArray,
    ]

    /// Appends the fields a change can set: `project_id, parent_id, title, description, status, completed_at,
    /// priority, assignee_id, due_date, start_date, tags`.
    mutating func appendEditableFields(of task: TaskItem) {
        appendOptional(task.projectID?.uuid)
        appendOptional(task.parentID?.uuid)
        append(task.title)
        append(task.description)
        append(task.status.rawValue)
        appendOptional(task.completedAt.bound)
        append(Int16(task.priority.severity))
        appendOptional(task.assigneeID?.uuid)
        appendOptional(task.dueDate.bound)
        appendOptional(task.startDate.bound)
        append(task.tags)
    }

    /// Appends `value`, or `NULL` when there is none.
    mutating func appendOptional<Value: PostgresNonThrowingEncodable>(_ value: Value?) {
        if let value { append(value) } else { appendNull() }
    }
}

/// Replaces a project's editable fields, its `updated_at` and its version; returns a row when the project was there.
struct UpdateProjectStatement: AppendsBindings {
    typealias Row = Int32

    static let sql = """
        UPDATE projects SET name = $2, description = $3, visibility = $4, is_archived = $5, updated_at = $6,
            version = $7
        WHERE id = $1
        RETURNING 1
        """
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .text, .text, .text, .bool, .timestamptz, .int4]

    var project: Project

    /// Appends the statement's seven bindings, in order.
    func appendBindings(to bindings: inout PostgresBindings) {
        bindings.append(project.id.uuid)
        bindings.append(project.name)
        bindings.append(project.description)
        bindings.append(project.visibility.rawValue)
        bindings.append(project.isArchived)
        bindings.append(project.updatedAt.bound)
        bindings.append(Int32(clamping: project.version))
    }

    func decodeRow(_ row: PostgresRow) throws -> Int32 { try row.decode(Int32.self) }
}

/// `UpdateProjectStatement` and `InsertEventsStatement` in one statement: a project's change and the events that
/// record it, one round trip. The events are inserted only when the project was there to change.
struct UpdateProjectWithEventsStatement: WriteWithEvents {
    /// Whether the events queued deliveries, and whether the project was changed.
    typealias Row = (queuedDeliveries: Bool, updated: Bool)

    static let sql = conditionalSQL(
        writing: UpdateProjectStatement.sql, as: "changed_project",
        parameterCount: UpdateProjectStatement.bindingDataTypes.count)
    static let bindingDataTypes = UpdateProjectStatement.bindingDataTypes + InsertEventsStatement.bindingDataTypes

    var write: UpdateProjectStatement
    var events: InsertEventsStatement

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let flags = try InsertEventsStatement.flags(row)
        return (queuedDeliveries: flags.queuedDeliveries, updated: flags.extra)
    }
}
