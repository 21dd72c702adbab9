import Foundation
import HTTPTypes
import TaskCore
import TaskTestSupport
import Testing

@testable import TaskHTTP

/// `GET /api/v1/workspaces/{id}/events` and `GET /api/v1/projects/{id}/events`.
@Suite("HTTP: event feeds")
struct EventFeedRoutesTests {
    /// Reads a feed from `cursor` (or the start) until `count` events came, waiting for those held back.
    static func read(
        _ api: APIClient, _ path: String, token: String, after cursor: String? = nil, count: Int
    ) async throws -> (events: [[String: Any]], cursor: String) {
        var events: [[String: Any]] = []
        var cursor = cursor
        for _ in 0..<20 where events.count < count {
            let query = cursor.map { "?wait=1&after=\($0)" } ?? "?wait=1"
            let answer = try await api.send(.get, path + query, token: token)
            #expect(answer.status == .ok)
            events += answer.items
            let next = answer.string("next_cursor")
            #expect(next?.isEmpty == false)
            cursor = next
        }
        return (events, cursor ?? "")
    }

    @Test("a workspace feed: owner and admin read it, a member is 403, an outsider 404", arguments: StoreKind.available)
    func workspaceAccess(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (ann, _) = try await api.signUp("ann")
            let (bob, bobID) = try await api.signUp("bob")
            let (cid, _) = try await api.signUp("cid")
            let workspace = try await api.workspace("W", token: ann)
            try await api.send(
                .post, "/api/v1/workspaces/\(workspace)/members", token: ann, json: #"{"email":"bob@example.com"}"#)
            let path = "/api/v1/workspaces/\(workspace)/events"
            let (events, _) = try await Self.read(api, path, token: ann, count: 2)
            #expect(events.map { $0["kind"] as? String } == ["workspace_member_added", "workspace_member_added"])
            let added = try #require(events.last)
            #expect(added["workspace_id"] as? String == workspace)
            #expect(added["project_id"] is NSNull && added["task_id"] is NSNull)
            #expect((added["changes"] as? [String: Any])?["user_id"] as? String == bobID)
            let role = (added["changes"] as? [String: Any])?["role"] as? [String: Any]
            #expect(role?["from"] is NSNull && role?["to"] as? String == "member")

            let member = try await api.send(.get, path, token: bob)
            #expect(member.status == .forbidden)
            #expect(try await api.send(.get, path, token: cid).status == .notFound)
            try await api.send(
                .patch, "/api/v1/workspaces/\(workspace)/members/\(bobID)", token: ann, json: #"{"role":"admin"}"#)
            #expect(try await api.send(.get, path, token: bob).status == .ok)
        }
    }

    @Test(
        "a project feed: a viewer reads it; someone who cannot see the project gets 404", arguments: StoreKind.available
    )
    func projectAccess(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (ann, _) = try await api.signUp("ann")
            let (bob, bobID) = try await api.signUp("bob")
            let workspace = try await api.workspace("W", token: ann)
            try await api.send(
                .post, "/api/v1/workspaces/\(workspace)/members", token: ann, json: #"{"email":"bob@example.com"}"#)
            let project = try #require(
                try await api.send(
                    .post, "/api/v1/projects", token: ann,
                    json: #"{"workspace_id":"\#(workspace)","name":"P","visibility":"private"}"#
                ).string("id"))
            let path = "/api/v1/projects/\(project)/events"
            #expect(try await api.send(.get, path, token: bob).status == .notFound)
            try await api.send(
                .post, "/api/v1/projects/\(project)/members", token: ann,
                json: #"{"user_id":"\#(bobID)","role":"viewer"}"#)
            let (events, _) = try await Self.read(api, path, token: bob, count: 3)
            #expect(
                events.map { $0["kind"] as? String } == [
                    "project_created", "project_member_added", "project_member_added",
                ])
            #expect(events.allSatisfy { $0["project_id"] as? String == project })
        }
    }

    @Test(
        "next_cursor yields only what came since, and is safe to send twice; after=now skips the past",
        arguments: StoreKind.available)
    func cursors(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (ann, _) = try await api.signUp("ann")
            let workspace = try await api.workspace("W", token: ann)
            let path = "/api/v1/workspaces/\(workspace)/events"
            let (first, cursor) = try await Self.read(api, path, token: ann, count: 1)
            #expect(first.count == 1)
            let now = try #require(try await api.send(.get, path + "?after=now", token: ann).string("next_cursor"))
            let task = try #require(
                try await api.send(
                    .post, "/api/v1/tasks", token: ann, json: #"{"title":"T","workspace_id":"\#(workspace)"}"#
                ).string("id"))
            for start in [cursor, cursor, now] {
                let (events, _) = try await Self.read(api, path, token: ann, after: start, count: 1)
                #expect(events.map { $0["task_id"] as? String } == [task])
                #expect(events.first?["kind"] as? String == "task_created")
            }
            let kinds = try await api.send(.get, path + "?kind=comment_added,task_deleted", token: ann)
            #expect(kinds.status == .ok && kinds.items.isEmpty)
        }
    }

    @Test("a long poll returns as soon as an event arrives; with nothing new it answers empty with the same place")
    func longPoll() async throws {
        try await APIHarness.make().run { api in
            let (ann, _) = try await api.signUp("ann")
            let workspace = try await api.workspace("W", token: ann)
            let path = "/api/v1/workspaces/\(workspace)/events"
            let cursor = try #require(try await api.send(.get, path, token: ann).string("next_cursor"))
            let quiet = try await api.send(.get, path + "?wait=1&after=\(cursor)", token: ann)
            #expect(quiet.status == .ok && quiet.items.isEmpty)
            let quietCursor = try #require(quiet.string("next_cursor"))
            async let held = api.send(.get, path + "?wait=30&after=\(quietCursor)", token: ann)
            try await api.send(
                .post, "/api/v1/tasks", token: ann, json: #"{"title":"T","workspace_id":"\#(workspace)"}"#)
            let answer = try await held
            #expect(answer.status == .ok)
            #expect(answer.items.map { $0["kind"] as? String } == ["task_created"])
        }
    }

    @Test("bad parameters are 422 naming them; an expired cursor is 410 cursor_expired")
    func refusals() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let (ann, _) = try await api.signUp("ann")
            let workspace = try await api.workspace("W", token: ann)
            let other = try await api.workspace("X", token: ann)
            let path = "/api/v1/workspaces/\(workspace)/events"
            let otherCursor = try #require(
                try await api.send(.get, "/api/v1/workspaces/\(other)/events", token: ann).string("next_cursor"))
            let cases: [(String, String)] = [
                ("?limit=0", "limit"), ("?limit=1001", "limit"), ("?limit=x", "limit"), ("?kind=task_exploded", "kind"),
                ("?kind=", "kind"), ("?wait=31", "wait"), ("?wait=-1", "wait"), ("?after=junk", "after"),
                ("?after=\(otherCursor)", "after"), ("?after=eyJmIjoxfQ", "after"),
            ]
            for (query, field) in cases {
                let answer = try await api.send(.get, path + query, token: ann)
                #expect(answer.status == .unprocessableContent, "\(query)")
                #expect(answer.errorFields == [field], "\(query)")
            }
            let cursor = try #require(try await api.send(.get, path, token: ann).string("next_cursor"))
            harness.clock.advance(by: 31 * 24 * 3600)
            let login = try await api.send(
                .post, "/api/v1/auth/login", json: #"{"email":"ann@example.com","password":"password-ann"}"#)
            let token = try #require(login.string("access_token"))
            let expired = try await api.send(.get, path + "?after=\(cursor)", token: token)
            #expect(expired.status == .gone)
            #expect(expired.string("code") == "cursor_expired")
        }
    }
}

/// The feeds as Server-Sent Events.
@Suite("HTTP: event streams")
struct EventStreamRoutesTests {
    /// Parses an event stream into its frames' fields.
    static func frames(_ text: String) -> [[String: String]] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var fields: [String: String] = [:]
            for line in block.split(separator: "\n") where !line.hasPrefix(":") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingCharacters(
                    in: .whitespaces)
            }
            return fields.isEmpty ? nil : fields
        }
    }

    /// Waits until a reader waits on the store's signal (the stream is open and idle), at most 10 s.
    static func waitForStream(_ harness: APIHarness) async throws {
        for _ in 0..<1000 where harness.services.events.waitingReaders == 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test("retry first, then id, event and data per event; Last-Event-ID resumes; it ends when the token expires")
    func stream() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let (ann, _) = try await api.signUp("ann")
            let workspace = try await api.workspace("W", token: ann)
            let task = try #require(
                try await api.send(
                    .post, "/api/v1/tasks", token: ann, json: #"{"title":"T","workspace_id":"\#(workspace)"}"#
                ).string("id"))
            let path = "/api/v1/workspaces/\(workspace)/events"
            async let streamed = api.send(.get, path, token: ann, headers: [.accept: "text/event-stream"])
            try await Self.waitForStream(harness)
            harness.clock.advance(by: 3 * 3600)
            let answer = try await streamed
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "text/event-stream")
            #expect(answer.text.hasPrefix("retry: 2000\n\n"))
            let frames = Self.frames(answer.text).filter { $0["event"] != nil }
            #expect(frames.map { $0["event"] } == ["workspace_member_added", "task_created"])
            let data = try #require(frames.last?["data"])
            let event = try #require(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
            #expect(event["task_id"] as? String == task)
            let firstID = try #require(frames.first?["id"])

            let login = try await api.send(
                .post, "/api/v1/auth/login", json: #"{"email":"ann@example.com","password":"password-ann"}"#)
            let token = try #require(login.string("access_token"))
            async let resumed = api.send(
                .get, path, token: token, headers: [.accept: "text/event-stream", .lastEventID: firstID])
            try await Self.waitForStream(harness)
            harness.clock.advance(by: 3 * 3600)
            let again = Self.frames(try await resumed.text).filter { $0["event"] != nil }
            #expect(again.map { $0["event"] } == ["task_created"])
        }
    }

    @Test("a stream that may not start answers a problem document, not a stream")
    func refused() async throws {
        try await APIHarness.make().run { api in
            let (ann, _) = try await api.signUp("ann")
            let missing = try await api.send(
                .get, "/api/v1/workspaces/\(UUID())/events", token: ann, headers: [.accept: "text/event-stream"])
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/problem+json")
            let workspace = try await api.workspace("W", token: ann)
            let bad = try await api.send(
                .get, "/api/v1/workspaces/\(workspace)/events", token: ann,
                headers: [.accept: "text/event-stream", .lastEventID: "junk"])
            #expect(bad.status == .unprocessableContent)
        }
    }
}
