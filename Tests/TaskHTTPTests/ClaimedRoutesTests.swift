import Foundation
import HTTPTypes
import TaskCore
import TaskStore
import TaskTestSupport
import Testing

@testable import TaskHTTP

/// The routes whose use case reads the credential's user (and a personal access token's row) together with the
/// record (tasks, comments, a project or a workspace and its members, their event feeds, a workspace's webhooks): a
/// credential whose user may no longer use it
/// is still `401`, before any other answer, and never hears an answer recorded for an idempotency key; a personal
/// access token without the route's scope is `403` before any answer about the resource.
@Suite("HTTP: routes that check the token's user with the record")
struct ClaimedRoutesTests {
    /// A workspace of `owner`'s, a project in it that the workspace's members see, a task in the project and a
    /// comment on the task: the ids of each.
    static func records(_ api: APIClient, owner: String) async throws -> (
        workspace: String, project: String, task: String, comment: String
    ) {
        let workspace = try await api.workspace("W", token: owner)
        let project = try #require(
            try await api.send(
                .post, "/api/v1/projects", token: owner,
                json: #"{"workspace_id":"\#(workspace)","name":"P","visibility":"workspace"}"#
            ).string("id"))
        let task = try #require(
            try await api.send(.post, "/api/v1/tasks", token: owner, json: #"{"title":"T","project_id":"\#(project)"}"#)
                .string("id"))
        let comment = try #require(
            try await api.send(.post, "/api/v1/tasks/\(task)/comments", token: owner, json: #"{"body":"c"}"#)
                .string("id"))
        return (workspace, project, task, comment)
    }

    /// Every request below, with what Ann (who may use her token) gets.
    static func requests(task: String, comment: String, project: String, workspace: String, bob: String) -> [(
        HTTPRequest.Method, String, String?, HTTPResponse.Status
    )] {
        let missing = "00000000-0000-4000-8000-000000000000"
        return [
            (.post, "/api/v1/tasks", #"{"title":""}"#, .unprocessableContent),
            (.post, "/api/v1/tasks", #"{"title":"x","project_id":"\#(missing)"}"#, .unprocessableContent),
            (.patch, "/api/v1/tasks/\(missing)", #"{"title":"y"}"#, .notFound),
            (.patch, "/api/v1/tasks/\(task)", #"{"priority":"bogus"}"#, .unprocessableContent),
            (.put, "/api/v1/tasks/\(task)", #"{"title":""}"#, .unprocessableContent),
            (.patch, "/api/v1/tasks/\(task)/complete", #"{"completed":"yes"}"#, .unprocessableContent),
            (.delete, "/api/v1/tasks/not-a-uuid", nil, .notFound),
            (.get, "/api/v1/tasks/\(task)/subtasks?cursor=zzz", nil, .unprocessableContent),
            (.get, "/api/v1/tasks/\(missing)/comments", nil, .notFound),
            (.post, "/api/v1/tasks/\(task)/comments", #"{"body":""}"#, .unprocessableContent),
            (.get, "/api/v1/tasks/\(task)/activity?limit=0", nil, .unprocessableContent),
            (.get, "/api/v1/comments/\(missing)", nil, .notFound),
            (.patch, "/api/v1/comments/\(comment)", #"{"body":""}"#, .unprocessableContent),
            (.delete, "/api/v1/comments/not-a-uuid", nil, .notFound),
            (.get, "/api/v1/projects/\(missing)", nil, .notFound),
            (.get, "/api/v1/projects/\(project)/members?limit=x", nil, .unprocessableContent),
            (.get, "/api/v1/projects/\(project)/members/\(bob)", nil, .notFound),
            (.get, "/api/v1/projects?workspace_id=not-a-uuid", nil, .unprocessableContent),
            (.get, "/api/v1/tasks?assignee_id=not-a-uuid", nil, .unprocessableContent),
            (.get, "/api/v1/tasks?tag=%00", nil, .unprocessableContent),
            (.get, "/api/v1/workspaces?limit=x", nil, .unprocessableContent),
            (.get, "/api/v1/workspaces/\(missing)", nil, .notFound),
            (.get, "/api/v1/workspaces/\(workspace)/members?cursor=zzz", nil, .unprocessableContent),
            (.get, "/api/v1/workspaces/\(workspace)/members/\(missing)", nil, .notFound),
            (.get, "/api/v1/users/me", nil, .ok),
            (.get, "/api/v1/workspaces/\(missing)/events", nil, .notFound),
            (.get, "/api/v1/workspaces/\(workspace)/events?limit=0", nil, .unprocessableContent),
            (.get, "/api/v1/projects/\(missing)/events", nil, .notFound),
            (.get, "/api/v1/projects/\(project)/events?after=zzz", nil, .unprocessableContent),
            (.get, "/api/v1/workspaces/\(workspace)/webhooks?limit=x", nil, .unprocessableContent),
            (.get, "/api/v1/workspaces/\(missing)/webhooks", nil, .notFound),
            (.get, "/api/v1/workspaces/\(workspace)/webhooks/\(missing)", nil, .notFound),
            (.get, "/api/v1/workspaces/\(workspace)/webhooks/\(missing)/deliveries", nil, .notFound),
            (.get, "/api/v1/workspaces/\(workspace)/webhooks/\(missing)/deliveries/\(missing)", nil, .notFound),
        ]
    }

    /// Changes of a project, a workspace and their members that fail, with the scope each needs and what the
    /// owner gets.
    static func scopedChanges(project: String, workspace: String) -> [(
        scope: String, HTTPRequest.Method, String, String?, HTTPResponse.Status
    )] {
        let missing = "00000000-0000-4000-8000-000000000000"
        return [
            (
                "projects:write", .post, "/api/v1/projects", #"{"workspace_id":"\#(missing)","name":"P"}"#,
                .unprocessableContent
            ),
            (
                "projects:write", .patch, "/api/v1/projects/\(project)", #"{"visibility":"secret"}"#,
                .unprocessableContent
            ),
            ("projects:write", .delete, "/api/v1/projects/\(missing)", nil, .notFound),
            (
                "projects:write", .post, "/api/v1/projects/\(project)/members", #"{"user_id":"not-a-uuid"}"#,
                .unprocessableContent
            ),
            (
                "projects:write", .patch, "/api/v1/projects/\(project)/members/\(missing)", #"{"role":"editor"}"#,
                .notFound
            ),
            ("projects:write", .delete, "/api/v1/projects/\(project)/members/\(missing)", nil, .notFound),
            ("workspaces:write", .patch, "/api/v1/workspaces/\(workspace)", #"{"name":""}"#, .unprocessableContent),
            ("workspaces:write", .delete, "/api/v1/workspaces/\(missing)", nil, .notFound),
            (
                "workspaces:write", .post, "/api/v1/workspaces/\(workspace)/members", #"{"email":"nobody"}"#,
                .unprocessableContent
            ),
            (
                "workspaces:write", .patch, "/api/v1/workspaces/\(workspace)/members/\(missing)", #"{"role":"member"}"#,
                .notFound
            ),
            ("workspaces:write", .delete, "/api/v1/workspaces/\(workspace)/members/\(missing)", nil, .notFound),
            (
                "webhooks:write", .post, "/api/v1/workspaces/\(workspace)/webhooks",
                #"{"url":"not a url","events":["*"]}"#,
                .unprocessableContent
            ),
            (
                "webhooks:write", .patch, "/api/v1/workspaces/\(workspace)/webhooks/\(missing)",
                #"{"description":"d"}"#,
                .notFound
            ),
            ("webhooks:write", .delete, "/api/v1/workspaces/\(workspace)/webhooks/\(missing)", nil, .notFound),
            (
                "webhooks:write", .post, "/api/v1/workspaces/\(workspace)/webhooks/\(missing)/rotate-secret", nil,
                .notFound
            ),
            ("webhooks:write", .post, "/api/v1/workspaces/\(workspace)/webhooks/\(missing)/ping", nil, .notFound),
            (
                "webhooks:write", .post,
                "/api/v1/workspaces/\(workspace)/webhooks/\(missing)/deliveries/\(missing)/redeliver", nil, .notFound
            ),
        ]
    }

    @Test(
        "every such route answers 401 to a disabled user's access token or personal access token before any 404, 403, 409 or 422, and replays no recorded answer",
        arguments: StoreKind.available, [false, true])
    func refusedTokenIsUnauthorizedFirst(_ kind: StoreKind, personalToken: Bool) async throws {
        let harness = try await APIHarness.make(kind)
        try await harness.run { api in
            let (annToken, _) = try await api.signUp("ann")
            let (bobAccessToken, bobID) = try await api.signUp("bob")
            let bobToken =
                personalToken
                ? try await PersonalTokenRoutesTests.token(
                    api, bobAccessToken, scopes: TokenScope.allCases.map(\.rawValue)) : bobAccessToken
            let (workspace, project, task, comment) = try await Self.records(api, owner: annToken)
            #expect(
                try await api.send(
                    .post, "/api/v1/workspaces/\(workspace)/members", token: annToken,
                    json: #"{"email":"bob@example.com","role":"member"}"#
                ).status == .created)
            let keyed: HTTPFields = [.idempotencyKey: "bob-1"]
            let bobsTask = #"{"title":"Bob's","project_id":"\#(project)"}"#
            let first = try await api.send(.post, "/api/v1/tasks", token: bobToken, json: bobsTask, headers: keyed)
            #expect(first.status == .created, "its answer is recorded for the key")
            let again = try await api.send(.post, "/api/v1/tasks", token: bobToken, json: bobsTask, headers: keyed)
            #expect(again.status == .created && again.headers[.idempotentReplayed] == "true")

            // Each request, with what Ann (who may use her token) gets: every one of them is 401 for Bob below.
            let requests =
                Self.requests(task: task, comment: comment, project: project, workspace: workspace, bob: bobID)
                + Self.scopedChanges(project: project, workspace: workspace).map { ($0.1, $0.2, $0.3, $0.4) }
                + [
                    (.patch, "/api/v1/users/me", #"{"name":""}"#, .unprocessableContent),
                    (
                        .post, "/api/v1/users/me/password",
                        #"{"current_password":"password-ann","new_password":"short"}"#, .unprocessableContent
                    ),
                    (.post, "/api/v1/users/me/tokens", #"{"name":"","scopes":["read"]}"#, .unprocessableContent),
                    // Ann is no administrator yet: 403 whatever else is wrong.
                    (.get, "/api/v1/users?limit=x", nil, .forbidden),
                    (.get, "/api/v1/users/not-a-uuid", nil, .forbidden),
                    (.get, "/api/v1/users/00000000-0000-4000-8000-000000000000", nil, .forbidden),
                    (.patch, "/api/v1/users/\(bobID)", "{", .forbidden),
                    (.delete, "/api/v1/users/not-a-uuid", nil, .forbidden),
                    (.get, "/api/v1/users/\(bobID)/tokens?limit=x", nil, .forbidden),
                    (.get, "/api/v1/users/00000000-0000-4000-8000-000000000000/tokens", nil, .forbidden),
                    (.delete, "/api/v1/users/not-a-uuid/tokens/not-a-uuid", nil, .forbidden),
                    (.get, "/api/v1/users/me/tokens?limit=x", nil, .unprocessableContent),
                    (.get, "/api/v1/users/me/tokens/00000000-0000-4000-8000-000000000000", nil, .notFound),
                    (.get, "/api/v1/users/me/tokens/not-a-uuid", nil, .notFound),
                    (.delete, "/api/v1/users/me/tokens/00000000-0000-4000-8000-000000000000", nil, .notFound),
                ]
            for (method, path, json, expected) in requests {
                let answer = try await api.send(method, path, token: annToken, json: json)
                #expect(answer.status == expected, "ann: \(method) \(path)")
            }

            let projects = try await api.send(.get, "/api/v1/projects", token: bobToken)
            #expect(projects.status == .ok && projects.items.count == 1, "Bob sees the workspace's project")
            let assigned = try await api.send(.get, "/api/v1/tasks", token: bobToken)
            #expect(assigned.status == .ok && assigned.items.count == 1, "Bob's own task")

            _ = try await harness.services.admin.promote(email: "ann@example.com")
            #expect(
                try await api.send(.patch, "/api/v1/users/\(bobID)", token: annToken, json: #"{"disabled":true}"#)
                    .status == .ok)
            for (method, path, json, _) in requests {
                let answer = try await api.send(method, path, token: bobToken, json: json)
                #expect(answer.status == .unauthorized, "bob: \(method) \(path)")
            }
            let retried = try await api.send(.post, "/api/v1/tasks", token: bobToken, json: bobsTask, headers: keyed)
            #expect(retried.status == .unauthorized && retried.headers[.idempotentReplayed] == nil)
            let fresh = try await api.send(
                .post, "/api/v1/tasks", token: bobToken, json: #"{"title":"x"}"#, headers: [.idempotencyKey: "bob-2"])
            #expect(fresh.status == .unauthorized)
            let tasks = try await api.send(.get, "/api/v1/tasks?project_id=\(project)", token: annToken)
            #expect(tasks.items.count == 2, "nothing more was created for Bob")

            // As an administrator, Ann gets the answers about the request itself.
            for (method, path, json, expected) in [
                (HTTPRequest.Method.get, "/api/v1/users?limit=x", nil, HTTPResponse.Status.unprocessableContent),
                (.get, "/api/v1/users/not-a-uuid", nil, .notFound),
                (.get, "/api/v1/users/00000000-0000-4000-8000-000000000000", nil, .notFound),
                (.patch, "/api/v1/users/\(bobID)", "{", .badRequest),
                (.delete, "/api/v1/users/not-a-uuid", nil, .notFound),
                (.get, "/api/v1/users/\(bobID)", nil, .ok),
                (.get, "/api/v1/users/\(bobID)/tokens?limit=x", nil, .unprocessableContent),
                (.get, "/api/v1/users/\(bobID)/tokens?cursor=zzz", nil, .unprocessableContent),
                (.get, "/api/v1/users/00000000-0000-4000-8000-000000000000/tokens", nil, .notFound),
                (.get, "/api/v1/users/00000000-0000-4000-8000-000000000000/tokens?cursor=zzz", nil, .notFound),
                (.get, "/api/v1/users/\(bobID)/tokens", nil, .ok),
                (.delete, "/api/v1/users/not-a-uuid/tokens/not-a-uuid", nil, .notFound),
                (.delete, "/api/v1/users/\(bobID)/tokens/00000000-0000-4000-8000-000000000000", nil, .notFound),
            ] as [(HTTPRequest.Method, String, String?, HTTPResponse.Status)] {
                let answer = try await api.send(method, path, token: annToken, json: json)
                #expect(answer.status == expected, "admin ann: \(method) \(path)")
            }
        }
    }

    @Test(
        "a personal access token's scope decides first: 403 insufficient_scope for every route it lacks, whatever the resource; its reads answer, its use is recorded, and once revoked every route is 401",
        arguments: StoreKind.available)
    func personalTokenScopeFirst(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (ann, _) = try await api.signUp("ann")
            let (workspace, project, task, comment) = try await Self.records(api, owner: ann)
            let reader = try await PersonalTokenRoutesTests.token(api, ann, scopes: ["read"])
            let writer = try await PersonalTokenRoutesTests.token(api, ann, scopes: ["tasks:write"])
            let listed = try await api.send(.get, "/api/v1/users/me/tokens", token: ann)
            #expect(listed.items.allSatisfy { $0["last_used_at"] is NSNull }, "no token used yet")

            // The failing requests, and writes that would succeed.
            let requests =
                Self.requests(
                    task: task, comment: comment, project: project, workspace: workspace,
                    bob: "00000000-0000-4000-8000-000000000001") + [
                    (.post, "/api/v1/tasks", #"{"title":"ok","project_id":"\#(project)"}"#, .created),
                    (.patch, "/api/v1/tasks/\(task)", #"{"title":"renamed"}"#, .ok),
                    (.patch, "/api/v1/comments/\(comment)", #"{"body":"edited"}"#, .ok),
                ]
            for (method, path, json, expected) in requests {
                let asReader = try await api.send(method, path, token: reader, json: json)
                let asWriter = try await api.send(method, path, token: writer, json: json)
                let (allowed, refused) = method == .get ? (asReader, asWriter) : (asWriter, asReader)
                #expect(
                    refused.status == .forbidden && refused.string("code") == "insufficient_scope", "\(method) \(path)")
                #expect(allowed.status == expected, "\(method) \(path): \(allowed.status)")
            }
            let scoped = Self.scopedChanges(project: project, workspace: workspace)
            var scopeWriters: [String: String] = [:]
            for scope in Set(scoped.map(\.scope)) {
                scopeWriters[scope] = try await PersonalTokenRoutesTests.token(api, ann, scopes: [scope])
            }
            for (scope, method, path, json, expected) in scoped {
                let allowed = try await api.send(method, path, token: try #require(scopeWriters[scope]), json: json)
                #expect(allowed.status == expected, "\(method) \(path): \(allowed.status)")
                for token in [reader, writer] + scopeWriters.filter({ $0.key != scope }).map(\.value) {
                    let refused = try await api.send(method, path, token: token, json: json)
                    #expect(
                        refused.status == .forbidden && refused.string("code") == "insufficient_scope",
                        "\(method) \(path)")
                }
            }
            for path in [
                "/api/v1/tasks/\(task)", "/api/v1/tasks", "/api/v1/projects", "/api/v1/workspaces/\(workspace)",
                "/api/v1/workspaces",
                "/api/v1/users/me",
            ] {
                #expect(try await api.send(.get, path, token: reader).status == .ok, "\(path)")
            }
            let used = try await api.send(.get, "/api/v1/users/me/tokens", token: ann)
            #expect(
                used.items.count == 2 + scopeWriters.count && used.items.allSatisfy { $0["last_used_at"] is String })

            for item in used.items {
                let id = try #require(item["id"] as? String)
                #expect(try await api.send(.delete, "/api/v1/users/me/tokens/\(id)", token: ann).status == .noContent)
            }
            for (method, path, json, _) in requests {
                for token in [reader, writer] {
                    let answer = try await api.send(method, path, token: token, json: json)
                    #expect(answer.status == .unauthorized, "revoked: \(method) \(path)")
                }
            }
        }
    }
}
