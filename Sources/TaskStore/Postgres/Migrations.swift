/// The schema, as numbered migrations shipped inside the binary. A migration is never edited once released: a
/// change to the schema is a new migration at the end of the list.
///
/// Every workspace-scoped table carries `workspace_id`, the key to shard by on a distributed PostgreSQL.
enum Migrations {
    /// One migration: its version, a name, and its statements (run in one transaction).
    struct Migration: Sendable {
        let version: Int
        let name: String
        let statements: [String]
    }

    static let all: [Migration] = [
        Migration(
            version: 1, name: "initial schema",
            statements: [
                """
                CREATE TABLE users (
                    id uuid PRIMARY KEY,
                    email text NOT NULL CONSTRAINT users_email_key UNIQUE,
                    name text NOT NULL,
                    password_hash text NOT NULL,
                    is_admin boolean NOT NULL DEFAULT false,
                    is_disabled boolean NOT NULL DEFAULT false,
                    personal_workspace_id uuid,
                    password_changed_at timestamptz NOT NULL,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL
                )
                """,
                "CREATE INDEX users_page ON users (created_at, id)",
                """
                CREATE TABLE workspaces (
                    id uuid PRIMARY KEY,
                    name text NOT NULL,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL
                )
                """,
                """
                CREATE TABLE workspace_members (
                    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'guest')),
                    joined_at timestamptz NOT NULL,
                    CONSTRAINT workspace_members_pkey PRIMARY KEY (workspace_id, user_id)
                )
                """,
                "CREATE INDEX workspace_members_user ON workspace_members (user_id)",
                """
                CREATE TABLE projects (
                    id uuid PRIMARY KEY,
                    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                    name text NOT NULL,
                    description text NOT NULL DEFAULT '',
                    visibility text NOT NULL CHECK (visibility IN ('workspace', 'private')),
                    is_archived boolean NOT NULL DEFAULT false,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL
                )
                """,
                "CREATE INDEX projects_workspace_page ON projects (workspace_id, created_at, id)",
                "CREATE INDEX projects_page ON projects (created_at, id)",
                """
                CREATE TABLE project_members (
                    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
                    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    role text NOT NULL CHECK (role IN ('admin', 'editor', 'commenter', 'viewer')),
                    added_at timestamptz NOT NULL,
                    CONSTRAINT project_members_pkey PRIMARY KEY (project_id, user_id)
                )
                """,
                "CREATE INDEX project_members_user ON project_members (user_id, workspace_id)",
                """
                CREATE TABLE tasks (
                    id uuid PRIMARY KEY,
                    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                    project_id uuid REFERENCES projects (id) ON DELETE CASCADE,
                    parent_id uuid REFERENCES tasks (id) ON DELETE CASCADE,
                    title text NOT NULL,
                    description text NOT NULL DEFAULT '',
                    status text NOT NULL CHECK (status IN ('todo', 'in_progress', 'done')),
                    completed_at timestamptz,
                    priority smallint NOT NULL CHECK (priority BETWEEN 0 AND 4),
                    assignee_id uuid,
                    owner_id uuid NOT NULL,
                    due_date timestamptz,
                    start_date timestamptz,
                    tags text[] NOT NULL DEFAULT '{}',
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL,
                    version integer NOT NULL,
                    CHECK ((status = 'done') = (completed_at IS NOT NULL))
                )
                """,
                "CREATE INDEX tasks_project_created ON tasks (project_id, created_at, id)",
                "CREATE INDEX tasks_project_updated ON tasks (project_id, updated_at, id)",
                "CREATE INDEX tasks_project_due ON tasks (project_id, (due_date IS NULL), due_date, id)",
                "CREATE INDEX tasks_project_priority ON tasks (project_id, priority, id)",
                "CREATE INDEX tasks_workspace_created ON tasks (workspace_id, created_at, id)",
                "CREATE INDEX tasks_workspace_updated ON tasks (workspace_id, updated_at, id)",
                "CREATE INDEX tasks_workspace_due ON tasks (workspace_id, (due_date IS NULL), due_date, id)",
                "CREATE INDEX tasks_workspace_priority ON tasks (workspace_id, priority, id)",
                "CREATE INDEX tasks_parent ON tasks (parent_id, created_at, id)",
                "CREATE INDEX tasks_assignee ON tasks (assignee_id, created_at, id)",
                "CREATE INDEX tasks_owner ON tasks (owner_id, created_at, id)",
                "CREATE INDEX tasks_tags ON tasks USING gin (tags)",
                """
                CREATE TABLE comments (
                    id uuid PRIMARY KEY,
                    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                    task_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
                    author_id uuid NOT NULL,
                    body text NOT NULL,
                    is_edited boolean NOT NULL DEFAULT false,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL
                )
                """,
                "CREATE INDEX comments_task_page ON comments (task_id, created_at, id)",
                """
                CREATE TABLE activity_events (
                    sequence bigserial PRIMARY KEY,
                    id uuid NOT NULL UNIQUE,
                    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                    task_id uuid NOT NULL,
                    actor_id uuid NOT NULL,
                    kind text NOT NULL,
                    at timestamptz NOT NULL,
                    changes jsonb NOT NULL
                )
                """,
                "CREATE INDEX activity_events_task ON activity_events (task_id, sequence)",
                "CREATE INDEX activity_events_workspace ON activity_events (workspace_id, sequence)",
            ]),
        Migration(
            version: 2, name: "trigram indexes for text search",
            statements: [
                // pg_trgm ships with postgresql-contrib and is a trusted extension; without it `q` still works, by scan.
                """
                DO $$
                BEGIN
                    CREATE EXTENSION IF NOT EXISTS pg_trgm;
                    CREATE INDEX tasks_title_trgm ON tasks USING gin (lower(title) gin_trgm_ops);
                    CREATE INDEX tasks_description_trgm ON tasks USING gin (lower(description) gin_trgm_ops);
                EXCEPTION WHEN OTHERS THEN
                    RAISE NOTICE 'pg_trgm unavailable (%); text search runs without an index', SQLERRM;
                END
                $$
                """
            ]),
        Migration(
            version: 3, name: "sessions and login limits",
            statements: [
                """
                CREATE TABLE refresh_tokens (
                    digest text PRIMARY KEY,
                    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    issued_at timestamptz NOT NULL,
                    expires_at timestamptz NOT NULL,
                    spent_at timestamptz
                )
                """,
                "CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id) WHERE spent_at IS NULL",
                "CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at)",
                "CREATE TABLE login_failures (key text NOT NULL, at timestamptz NOT NULL)",
                "CREATE INDEX login_failures_key ON login_failures (key, at)",
                "CREATE INDEX login_failures_at ON login_failures (at)",
            ]),
        Migration(
            version: 4, name: "revoked sessions",
            statements: [
                "ALTER TABLE users ADD COLUMN sessions_revoked_at timestamptz"
            ]),
        Migration(
            version: 5, name: "a version on every resource",
            statements: [
                "ALTER TABLE users ADD COLUMN version integer NOT NULL DEFAULT 1",
                "ALTER TABLE workspaces ADD COLUMN version integer NOT NULL DEFAULT 1",
                "ALTER TABLE workspace_members ADD COLUMN version integer NOT NULL DEFAULT 1",
                "ALTER TABLE projects ADD COLUMN version integer NOT NULL DEFAULT 1",
                "ALTER TABLE project_members ADD COLUMN version integer NOT NULL DEFAULT 1",
                "ALTER TABLE comments ADD COLUMN version integer NOT NULL DEFAULT 1",
            ]),
        Migration(
            version: 6, name: "idempotency keys",
            statements: [
                """
                CREATE TABLE idempotency_keys (
                    user_id uuid NOT NULL,
                    key text NOT NULL,
                    fingerprint text NOT NULL,
                    created_at timestamptz NOT NULL,
                    status integer NOT NULL,
                    content_type text,
                    location text,
                    etag text,
                    body bytea NOT NULL,
                    PRIMARY KEY (user_id, key)
                )
                """,
                "CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)",
            ]),
        Migration(
            version: 7, name: "the event log: project and membership events, commit-safe feed order",
            statements: [
                // `xid` is the writing transaction's id, fixed before it commits: feeds read in `(xid, sequence)`
                // order and only below the oldest running transaction, so no event appears behind a read position.
                "ALTER TABLE activity_events ALTER COLUMN task_id DROP NOT NULL",
                """
                ALTER TABLE activity_events
                    ADD COLUMN project_id uuid,
                    ADD COLUMN former_project_id uuid,
                    ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id()
                """,
                """
                UPDATE activity_events e SET project_id = t.project_id
                FROM tasks t WHERE t.id = e.task_id
                """,
                "DROP INDEX activity_events_workspace",
                "CREATE INDEX activity_events_workspace_feed ON activity_events (workspace_id, xid, sequence)",
                "CREATE INDEX activity_events_project_feed ON activity_events (project_id, xid, sequence)",
                """
                CREATE INDEX activity_events_former_project_feed ON activity_events (former_project_id, xid, sequence)
                WHERE former_project_id IS NOT NULL
                """,
                "CREATE INDEX activity_events_at ON activity_events (at)",
            ]),
        Migration(
            version: 8, name: "webhooks",
            statements: [
                """
                CREATE TABLE webhooks (
                    id uuid PRIMARY KEY,
                    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                    url text NOT NULL,
                    events text[] NOT NULL,
                    project_id uuid REFERENCES projects (id) ON DELETE CASCADE,
                    description text NOT NULL,
                    enabled boolean NOT NULL,
                    disabled_reason text,
                    secret text NOT NULL,
                    previous_secret text,
                    previous_secret_expires_at timestamptz,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL,
                    version integer NOT NULL
                )
                """,
                "CREATE INDEX webhooks_workspace_page ON webhooks (workspace_id, created_at, id)",
            ]),
        Migration(
            version: 9, name: "webhook deliveries",
            statements: [
                "ALTER TABLE webhooks ADD COLUMN failing_since timestamptz",
                // One row per event and webhook, queued in the event's transaction. `xid` orders first attempts
                // like the feeds (and holds them back below the oldest running transaction); `lease_id` and
                // `lease_until` are the claim of the attempt in flight.
                """
                CREATE TABLE webhook_deliveries (
                    id uuid PRIMARY KEY,
                    webhook_id uuid NOT NULL,
                    event_id uuid NOT NULL,
                    event_sequence bigint,
                    kind text NOT NULL,
                    ping_actor_id uuid,
                    status text NOT NULL,
                    attempts integer NOT NULL DEFAULT 0,
                    last_response_status integer,
                    last_error text,
                    next_attempt_at timestamptz,
                    lease_id uuid,
                    lease_until timestamptz,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL,
                    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
                    UNIQUE (webhook_id, event_id)
                )
                """,
                // No foreign key to `webhooks`: every writer that queues a delivery would take a share lock on the
                // webhook's row, and many writers at once would turn it into a multixact hot spot. A trigger
                // deletes a webhook's deliveries with it (also when a project or workspace takes it along); a
                // delivery queued by a writer that raced the deletion is never claimed (claims join `webhooks`)
                // and goes with the retention.
                """
                CREATE FUNCTION delete_webhook_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM webhook_deliveries WHERE webhook_id IN (SELECT id FROM gone);
                    RETURN NULL;
                END $$
                """,
                """
                CREATE TRIGGER webhooks_delete_deliveries AFTER DELETE ON webhooks
                REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION delete_webhook_deliveries()
                """,
                // First attempts in feed order, and retries by when they are due: a claim reads only rows it may
                // take, however many retries wait. A disabled webhook's pending deliveries have no
                // `next_attempt_at` (parked) and are in neither.
                """
                CREATE INDEX webhook_deliveries_first ON webhook_deliveries (xid, event_sequence)
                WHERE status = 'pending' AND attempts = 0 AND next_attempt_at IS NOT NULL
                """,
                """
                CREATE INDEX webhook_deliveries_retry ON webhook_deliveries (next_attempt_at)
                WHERE status = 'pending' AND attempts > 0
                """,
                "CREATE INDEX webhook_deliveries_page ON webhook_deliveries (webhook_id, created_at, id)",
                "CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at)",
                "CREATE INDEX webhook_deliveries_failed ON webhook_deliveries (created_at) WHERE status = 'failed'",
            ]),
        Migration(
            version: 10, name: "one look at every feed",
            statements: [
                // The process-wide watcher of the feeds reads every feed's new events in feed order at once.
                "CREATE INDEX activity_events_feed ON activity_events (xid, sequence)"
            ]),
        Migration(
            version: 11, name: "personal access tokens",
            statements: [
                // Only the token's SHA-256 is kept, found through the unique index; `prefix` is for display.
                """
                CREATE TABLE personal_access_tokens (
                    id uuid PRIMARY KEY,
                    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    name text NOT NULL,
                    prefix text NOT NULL,
                    digest text NOT NULL UNIQUE,
                    scopes text[] NOT NULL,
                    workspace_ids uuid[],
                    created_at timestamptz NOT NULL,
                    expires_at timestamptz NOT NULL,
                    last_used_at timestamptz,
                    version integer NOT NULL DEFAULT 1
                )
                """,
                "CREATE INDEX personal_access_tokens_page ON personal_access_tokens (user_id, created_at, id)",
                "CREATE INDEX personal_access_tokens_expiry ON personal_access_tokens (expires_at)",
            ]),
    ]
}
