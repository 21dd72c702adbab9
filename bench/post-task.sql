-- What POST /api/v1/tasks writes, for pgbench (bench/run passes -M prepared and the seeded ids with -D): the task
-- row and its task_created event, with the event statement's webhook-delivery queueing and notification, in one
-- transaction, as taskd sends them (BEGIN, two prepared INSERTs, COMMIT). taskd's reads before the writes (the
-- caller's user row, the project with its memberships) are not part of it. A new task's event has no changes ({}).
BEGIN;
INSERT INTO tasks (id, workspace_id, owner_id, created_at, project_id, parent_id, title, description, status,
                   completed_at, priority, assignee_id, due_date, start_date, tags, updated_at, version)
VALUES (gen_random_uuid(), :workspace, :user, now(), :project, NULL, 'Bench', '', 'todo', NULL, 0, NULL, NULL, NULL,
        '{}', now(), 1)
RETURNING id AS task_id \gset
WITH inserted AS (
    INSERT INTO activity_events (id, task_id, workspace_id, project_id, former_project_id, actor_id, kind, at, changes)
    VALUES (gen_random_uuid(), :task_id, :workspace, :project, NULL, :user, 'task_created', now(),
            '{}')
    RETURNING id, workspace_id, project_id, former_project_id, kind, at, sequence
), queued AS (
    INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_sequence, kind, status, next_attempt_at,
        created_at, updated_at)
    SELECT gen_random_uuid(), w.id, i.id, i.sequence, i.kind, 'pending', i.at, i.at, i.at
    FROM inserted i JOIN webhooks w ON w.workspace_id = i.workspace_id AND w.enabled
        AND (w.project_id IS NULL OR w.project_id = i.project_id OR w.project_id = i.former_project_id)
        AND (w.events = '{*}' OR i.kind = ANY(w.events))
)
SELECT pg_notify('taskd_events', 'pgbench');
COMMIT;
