-- What GET /api/v1/tasks/{id} with an access token asks PostgreSQL, for pgbench (bench/run passes -M prepared and
-- the seeded ids with -D): the caller's user row with the task, its project and the caller's two memberships, in
-- one statement (ClaimedAccessStatement<TaskAccessStatement>; PostgresStoreTests keeps this text equal to it).
-- Its rate is what one indexed read of taskd's own costs PostgreSQL, without taskd's client side.
SELECT t.id, t.workspace_id, t.project_id, t.parent_id, t.title, t.description, t.status, t.completed_at, t.priority,
       t.assignee_id, t.owner_id, t.due_date, t.start_date, t.tags, t.created_at, t.updated_at, t.version, wm.role,
       pm.role, p.id, p.workspace_id, p.name, p.description, p.visibility, p.is_archived, p.created_at, p.updated_at,
       p.version, u.id, u.email, u.name, u.password_hash, u.is_admin, u.is_disabled, u.personal_workspace_id,
       u.password_changed_at, u.created_at, u.updated_at, u.sessions_revoked_at, u.version
FROM users u
LEFT JOIN tasks t ON t.id = :task
LEFT JOIN projects p ON p.id = t.project_id
LEFT JOIN workspace_members wm ON wm.workspace_id = t.workspace_id AND wm.user_id = :user
LEFT JOIN project_members pm ON pm.project_id = t.project_id AND pm.user_id = :user
WHERE u.id = :user;
