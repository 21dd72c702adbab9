import Foundation
import HTTPTypes
import TaskCore
import TaskStore
import TaskTestSupport
import Testing

@testable import TaskHTTP

/// The routes whose use case reads the access token's user together with the record (tasks, comments, a project
/// or a workspace and its members): a credential whose user may no longer use it is still `401`, before any other answer, and
/// never hears an answer recorded for an idempotency key.
@Suite("HTTP: routes that check the token's user with the record")
struct ClaimedRoutesTests {
    @Test(
        "every such route answers 401 to a disabled user's token before any 404, 403, 409 or 422, and replays no recorded answer",
        arguments: StoreKind.available)
    func refusedTokenIsUnauthorizedFirst(_ kind: StoreKind) async throws {
        let harness = try await APIHarness.make(kind)
        try await harness.run { api in
            let (annToken, _) = try await api.signUp("ann")
            let (bobToken, bobID) = try await api.signUp("bob")
            let workspace = try await api.workspace("W", token: annToken)
            #expect(
                try await api.send(
                    .post, "/api/v1/workspaces/\(workspace)/members", token: annToken,
                    json: #"{"email":"bob@example.com","role":"member"}"#
                ).status == .created)
            let project = try #require(
                try await api.send(
                    .post, "/api/v1/projects", token: annToken,
                    json: #"{"workspace_id":"\#(workspace)","name":"P","visibility":"workspace"}"#
                ).string("id"))
            let task = try #require(
                try await api.send(
                    .post, "/api/v1/tasks", token: annToken, json: #"{"title":"T","project_id":"\#(project)"}"#
                ).string("id"))
            let comment = try #require(
                try await api.send(.post, "/api/v1/tasks/\(task)/comments", token: annToken, json: #"{"body":"c"}"#)
                    .string("id"))
            let missingTask = "00000000-0000-4000-8000-000000000000"
            let keyed: HTTPFields = [.idempotencyKey: "bob-1"]
            let bobsTask = #"{"title":"Bob's","project_id":"\#(project)"}"#
            let first = try await api.send(.post, "/api/v1/tasks", token: bobToken, json: bobsTask, headers: keyed)
            #expect(first.status == .created, "its answer is recorded for the key")

            // Each request, with what Ann (who may use her token) gets: every one of them is 401 for Bob below.
            let requests: [(HTTPRequest.Method, String, String?, HTTPResponse.Status)] = [
                (.post, "/api/v1/tasks", #"{"title":""}"#, .unprocessableContent),
                (.post, "/api/v1/tasks", #"{"title":"x","project_id":"\#(missingTask)"}"#, .unprocessableContent),
                (.patch, "/api/v1/tasks/\(missingTask)", #"{"title":"y"}"#, .notFound),
                (.patch, "/api/v1/tasks/\(task)", #"{"priority":"bogus"}"#, .unprocessableContent),
                (.put, "/api/v1/tasks/\(task)", #"{"title":""}"#, .unprocessableContent),
                (.patch, "/api/v1/tasks/\(task)/complete", #"{"completed":"yes"}"#, .unprocessableContent),
                (.delete, "/api/v1/tasks/not-a-uuid", nil, .notFound),
                (.get, "/api/v1/tasks/\(task)/subtasks?cursor=zzz", nil, .unprocessableContent),
                (.get, "/api/v1/tasks/\(missingTask)/comments", nil, .notFound),
                (.post, "/api/v1/tasks/\(task)/comments", #"{"body":""}"#, .unprocessableContent),
                (.get, "/api/v1/tasks/\(task)/activity?limit=0", nil, .unprocessableContent),
                (.get, "/api/v1/comments/\(missingTask)", nil, .notFound),
                (.patch, "/api/v1/comments/\(comment)", #"{"body":""}"#, .unprocessableContent),
                (.delete, "/api/v1/comments/not-a-uuid", nil, .notFound),
                (.get, "/api/v1/projects/\(missingTask)", nil, .notFound),
                (.get, "/api/v1/projects/\(project)/members?limit=x", nil, .unprocessableContent),
                (.get, "/api/v1/projects/\(project)/members/\(bobID)", nil, .notFound),
                (.get, "/api/v1/projects?workspace_id=not-a-uuid", nil, .unprocessableContent),
                (.get, "/api/v1/tasks?assignee_id=not-a-uuid", nil, .unprocessableContent),
                (.get, "/api/v1/tasks?tag=%00", nil, .unprocessableContent),
                (.get, "/api/v1/workspaces/\(missingTask)", nil, .notFound),
                (.get, "/api/v1/workspaces/\(workspace)/members?cursor=zzz", nil, .unprocessableContent),
                (.get, "/api/v1/workspaces/\(workspace)/members/\(missingTask)", nil, .notFound),
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
        }
    }
}
