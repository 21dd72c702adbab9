import Foundation
import PostgresNIO
import TaskCore

extension PostgresTransaction {
    func insertPing(_ delivery: WebhookDelivery, _ ping: WebhookPing) async throws {
        try await execute(
            """
            INSERT INTO webhook_deliveries (id, webhook_id, event_id, kind, ping_actor_id, status, next_attempt_at,
                created_at, updated_at)
            VALUES (\(delivery.id.uuid), \(delivery.webhookID.uuid), \(delivery.eventID.uuid), \(delivery.kind),
                \(ping.actorID.uuid), 'pending', \(delivery.nextAttemptAt?.bound), \(delivery.createdAt.bound),
                \(delivery.updatedAt.bound))
            """)
    }

    /// Claims with `FOR UPDATE SKIP LOCKED`, so concurrent claimers split the due rows instead of queueing: first
    /// the retries that are due (by `next_attempt_at`), then first attempts in `(xid, event_sequence)` order. A
    /// first attempt waits, like the feeds, until no older transaction runs, so that first attempts go out in feed
    /// order; a retry has no order to keep. Each part reads its own partial index, so a claim reads only rows it
    /// may take, however many retries wait for later.
    func claimDeliveries(now: Date, leaseUntil: Date, limit: Int) async throws -> [DeliveryAttempt] {
        let lease = UUIDText.random()
        let retries = try await claim(firstAttempts: false, now: now, lease: lease, until: leaseUntil, limit: limit)
        var claimed = retries
        if claimed.count < limit {
            claimed += try await claim(
                firstAttempts: true, now: now, lease: lease, until: leaseUntil, limit: limit - claimed.count)
        }
        guard !claimed.isEmpty else { return [] }
        let webhookIDs = Array(Set(claimed.map(\.delivery.webhookID.uuid)))
        let webhooks = try await rows(
            """
            SELECT \(unescaped: PostgresRows.webhookColumns) FROM webhooks WHERE id = ANY(\(webhookIDs))
            """, PostgresRows.webhook)
        let webhooksByID = Dictionary(webhooks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let sequences = claimed.compactMap(\.sequence)
        var eventsBySequence: [Int64: ActivityEvent] = [:]
        if !sequences.isEmpty {
            for found in try await rows(
                """
                SELECT \(unescaped: PostgresRows.eventColumns) FROM activity_events WHERE sequence = ANY(\(sequences))
                """, PostgresRows.event)
            {
                eventsBySequence[Int64(found.sequence)] = found.event
            }
        }
        // Retries first, as claimed; then first attempts in feed order.
        let ordered =
            claimed.prefix(retries.count)
            + claimed.dropFirst(retries.count).sorted {
                ($0.xid, $0.sequence ?? 0) < ($1.xid, $1.sequence ?? 0)
            }
        return ordered.compactMap { claim in
            guard let webhook = webhooksByID[claim.delivery.webhookID] else { return nil }
            let message: DeliveryMessage?
            if let sequence = claim.sequence {
                message = eventsBySequence[sequence].map(DeliveryMessage.event)
            } else if let actor = claim.pingActor {
                message = .ping(
                    WebhookPing(
                        id: claim.delivery.eventID, workspaceID: webhook.workspaceID, actorID: UserID(actor),
                        at: claim.delivery.createdAt))
            } else {
                message = nil
            }
            return DeliveryAttempt(delivery: claim.delivery, lease: lease, webhook: webhook, message: message)
        }
    }

    /// Claims up to `limit` due rows of enabled webhooks, skipping rows other claimers hold: first attempts in feed
    /// order below the oldest running transaction, or retries by when they are due.
    private func claim(firstAttempts: Bool, now: Date, lease: UUID, until: Date, limit: Int) async throws
        -> [ClaimedRow]
    {
        var builder = SQLBuilder("WITH due AS (SELECT d.id FROM webhook_deliveries d ")
        builder.append("JOIN webhooks w ON w.id = d.webhook_id AND w.enabled WHERE d.status = 'pending' ")
        let at = builder.bind(now.bound)
        builder.append("AND d.next_attempt_at <= \(at) AND (d.lease_until IS NULL OR d.lease_until <= \(at)) ")
        if firstAttempts {
            builder.append("AND d.attempts = 0 AND d.next_attempt_at IS NOT NULL ")
            builder.append("AND d.xid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY d.xid, d.event_sequence")
        } else {
            builder.append("AND d.attempts > 0 ORDER BY d.next_attempt_at")
        }
        builder.append(" LIMIT \(builder.bind(limit)) FOR UPDATE OF d SKIP LOCKED) ")
        builder.append("UPDATE webhook_deliveries d SET lease_id = \(builder.bind(lease)), ")
        builder.append("lease_until = \(builder.bind(until.bound)) FROM due WHERE d.id = due.id ")
        builder.append("RETURNING \(PostgresRows.deliveryColumns("d")), d.event_sequence, d.ping_actor_id, d.xid::text")
        return try await lockedRows(builder.query) { row in
            let cells = row.makeRandomAccess()
            let count = cells.count
            return ClaimedRow(
                delivery: try PostgresRows.delivery(row), sequence: try cells[count - 3].decode(Int64?.self),
                pingActor: try cells[count - 2].decode(UUID?.self),
                xid: UInt64(try cells[count - 1].decode(String.self)) ?? 0)
        }
    }

    /// Parks a disabled webhook's pending deliveries (no `next_attempt_at`: no claim reads them), or brings them
    /// back, due at `at`, when it is enabled again.
    func parkDeliveries(of webhookID: WebhookID, enabled: Bool, at: Date) async throws {
        if enabled {
            try await execute(
                """
                UPDATE webhook_deliveries SET next_attempt_at = \(at.bound)
                WHERE webhook_id = \(webhookID.uuid) AND status = 'pending' AND next_attempt_at IS NULL
                """)
        } else {
            try await execute(
                """
                UPDATE webhook_deliveries SET next_attempt_at = NULL
                WHERE webhook_id = \(webhookID.uuid) AND status = 'pending' AND next_attempt_at IS NOT NULL
                """)
        }
    }

    func lockDelivery(_ id: DeliveryID, lease: UUID) async throws -> WebhookDelivery? {
        try await lockedRows(
            """
            SELECT \(unescaped: PostgresRows.deliveryColumns()) FROM webhook_deliveries
            WHERE id = \(id.uuid) AND lease_id = \(lease) FOR UPDATE
            """, PostgresRows.delivery
        ).first
    }

    func lockDelivery(_ id: DeliveryID, of webhookID: WebhookID) async throws -> WebhookDelivery? {
        try await lockedRows(
            """
            SELECT \(unescaped: PostgresRows.deliveryColumns()) FROM webhook_deliveries
            WHERE id = \(id.uuid) AND webhook_id = \(webhookID.uuid) FOR UPDATE
            """, PostgresRows.delivery
        ).first
    }

    func updateDelivery(_ delivery: WebhookDelivery) async throws {
        let changed = try await changedRows(
            """
            UPDATE webhook_deliveries SET status = \(delivery.status.rawValue),
                attempts = \(Int32(clamping: delivery.attempts)),
                last_response_status = \(delivery.lastResponseStatus.map { Int32(clamping: $0) }),
                last_error = \(delivery.lastError), next_attempt_at = \(delivery.nextAttemptAt?.bound),
                updated_at = \(delivery.updatedAt.bound), lease_id = NULL, lease_until = NULL
            WHERE id = \(delivery.id.uuid)
            """)
        if changed == 0 { throw DomainError.notFound(.delivery) }
    }

    func updateClaimedDeliveries(_ updates: [(delivery: WebhookDelivery, lease: UUID)]) async throws {
        guard !updates.isEmpty else { return }
        let deliveries = updates.map(\.delivery)
        // Absent values travel as sentinels (0, "", -1): arrays of optionals are not bound here.
        try await execute(
            """
            UPDATE webhook_deliveries d SET status = u.status, attempts = u.attempts,
                last_response_status = NULLIF(u.last_status, 0), last_error = NULLIF(u.last_error, ''),
                next_attempt_at = CASE WHEN u.next_micros < 0 THEN NULL
                    ELSE timestamptz '2000-01-01 00:00:00+00' + u.next_micros * interval '1 microsecond' END,
                updated_at = timestamptz '2000-01-01 00:00:00+00' + u.updated_micros * interval '1 microsecond',
                lease_id = NULL, lease_until = NULL
            FROM unnest(\(deliveries.map(\.id.uuid)), \(updates.map(\.lease)), \(deliveries.map(\.status.rawValue)),
                \(deliveries.map { Int32(clamping: $0.attempts) }),
                \(deliveries.map { Int32(clamping: $0.lastResponseStatus ?? 0) }),
                \(deliveries.map { $0.lastError ?? "" }),
                \(deliveries.map { $0.nextAttemptAt?.bound.microsecondsSince2000 ?? -1 }),
                \(deliveries.map(\.updatedAt.bound.microsecondsSince2000)))
                AS u(id, lease, status, attempts, last_status, last_error, next_micros, updated_micros)
            WHERE d.id = u.id AND d.lease_id = u.lease
            """)
    }

    func delivery(_ id: DeliveryID, of webhookID: WebhookID) async throws -> WebhookDelivery? {
        try await rows(
            """
            SELECT \(unescaped: PostgresRows.deliveryColumns()) FROM webhook_deliveries
            WHERE id = \(id.uuid) AND webhook_id = \(webhookID.uuid)
            """, PostgresRows.delivery
        ).first
    }

    func deliveries(of webhookID: WebhookID, before: PagePosition?, limit: Int) async throws -> [WebhookDelivery] {
        var builder = SQLBuilder("SELECT \(PostgresRows.deliveryColumns()) FROM webhook_deliveries")
        builder.append(" WHERE webhook_id = \(builder.bind(webhookID.uuid))")
        if let before, case .date(let date) = before.value {
            builder.append(" AND (created_at, id) < (\(builder.bind(date.bound)), \(builder.bind(before.id)))")
        }
        builder.append(" ORDER BY created_at DESC, id DESC LIMIT \(builder.bind(limit))")
        return try await rows(builder.query, PostgresRows.delivery)
    }

    /// The webhook's existence in the workspace and its page of deliveries in one statement: one row per delivery,
    /// or one row of nulls when there is none, each ending with whether the webhook is there.
    func deliveries(of webhookID: WebhookID, in workspaceID: WorkspaceID, before: PagePosition?, limit: Int)
        async throws -> [WebhookDelivery]?
    {
        var builder = SQLBuilder("WITH hook AS (SELECT id FROM webhooks WHERE id = ")
        builder.append("\(builder.bind(webhookID.uuid)) AND workspace_id = \(builder.bind(workspaceID.uuid))), ")
        builder.append("page AS (SELECT \(PostgresRows.deliveryColumns()) FROM webhook_deliveries")
        builder.append(" WHERE webhook_id IN (SELECT id FROM hook)")
        if let before, case .date(let date) = before.value {
            builder.append(" AND (created_at, id) < (\(builder.bind(date.bound)), \(builder.bind(before.id)))")
        }
        builder.append(" ORDER BY created_at DESC, id DESC LIMIT \(builder.bind(limit)))")
        builder.append(" SELECT \(PostgresRows.deliveryColumns("p")), h.found")
        builder.append(" FROM (SELECT EXISTS (SELECT 1 FROM hook) AS found) h LEFT JOIN page p ON true")
        builder.append(" ORDER BY p.created_at DESC, p.id DESC")
        let found = try await rows(builder.query) { row -> (found: Bool, delivery: WebhookDelivery?) in
            let found = try row.makeRandomAccess()[PostgresRows.deliveryColumnCount].decode(Bool.self)
            guard try row.first?.decode(UUID?.self) != nil else { return (found, nil) }
            return (found, try PostgresRows.delivery(row))
        }
        guard found.first?.found == true else { return nil }
        return found.compactMap(\.delivery)
    }

    func deleteDeliveries(before: Date, limit: Int) async throws -> Int {
        try await changedRows(
            """
            DELETE FROM webhook_deliveries WHERE id IN (
                SELECT id FROM webhook_deliveries WHERE created_at < \(before.bound) ORDER BY created_at LIMIT \(limit))
            """)
    }

    func deliveryCounts() async throws -> DeliveryCounts {
        let found = try await rows(
            """
            SELECT (SELECT count(*) FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                    WHERE d.status = 'pending'),
                (SELECT count(*) FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                    WHERE d.status = 'failed'),
                (SELECT count(*) FROM webhooks WHERE NOT enabled)
            """
        ) { row in try row.decode((Int64, Int64, Int64).self) }
        guard let (pending, failed, disabled) = found.first else { throw DomainError.storeUnavailable }
        return DeliveryCounts(pending: Int(pending), failed: Int(failed), disabledWebhooks: Int(disabled))
    }
}

/// A claimed row, with what the claim needs to find its event and order it.
struct ClaimedRow: Sendable {
    let delivery: WebhookDelivery
    let sequence: Int64?
    let pingActor: UUID?
    let xid: UInt64
}

extension PostgresRows {
    /// The columns `delivery(_:)` reads, of the table or of its alias.
    static func deliveryColumns(_ alias: String? = nil) -> String {
        let prefix = alias.map { "\($0)." } ?? ""
        return [
            "id", "webhook_id", "event_id", "kind", "status", "attempts", "last_response_status", "last_error",
            "next_attempt_at", "created_at", "updated_at",
        ].map { prefix + $0 }.joined(separator: ", ")
    }

    /// How many columns `deliveryColumns` has.
    static let deliveryColumnCount = 11

    static func delivery(_ row: PostgresRow) throws -> WebhookDelivery {
        let (id, webhookID, eventID, kind, status, attempts, lastStatus) = try row.decode(
            (UUID, UUID, UUID, String, String, Int32, Int32?).self)
        let cells = row.makeRandomAccess()
        let lastError = try cells[7].decode(String?.self)
        let next = try cells[8].decode(Date?.self)
        let created = try cells[9].decode(Date.self)
        let updated = try cells[10].decode(Date.self)
        return WebhookDelivery(
            id: DeliveryID(id), webhookID: WebhookID(webhookID), eventID: ActivityID(eventID), kind: kind,
            status: try decodeEnum(DeliveryStatus.self, status), attempts: Int(attempts),
            lastResponseStatus: lastStatus.map(Int.init), lastError: lastError,
            nextAttemptAt: next?.truncatedToMilliseconds, createdAt: created.truncatedToMilliseconds,
            updatedAt: updated.truncatedToMilliseconds)
    }
}
