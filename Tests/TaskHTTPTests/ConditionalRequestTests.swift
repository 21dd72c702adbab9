import Foundation
import HTTPTypes
import TaskTestSupport
import Testing

@testable import TaskHTTP

/// Versions, entity tags and conditional reads on every kind of resource.
@Suite("HTTP: versions, ETags and conditional reads")
struct ConditionalRequestTests {
    @Test(
        "every resource answers with its version and a matching ETag; a change that changes something adds one",
        arguments: StoreKind.available)
    func versionsAndTags(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (token, _) = try await api.signUp("ann")
            let (_, bobID) = try await api.signUp("bob")
            func expectTagged(_ response: APIResponse, version: Int, suffix: String = "", _ label: String) {
                #expect(response.json["version"] as? Int == version, "\(label)")
                #expect(response.headers[.eTag] == "\"\(version)\(suffix)\"", "\(label)")
            }
            expectTagged(try await api.send(.get, "/api/v1/users/me", token: token), version: 1, "me")
            expectTagged(
                try await api.send(.patch, "/api/v1/users/me", token: token, json: #"{"name":"Ann B"}"#), version: 2,
                "renamed me")
            expectTagged(
                try await api.send(.patch, "/api/v1/users/me", token: token, json: #"{"name":"Ann B"}"#), version: 2,
                "same name")

            let workspace = try await api.send(.post, "/api/v1/workspaces", token: token, json: #"{"name":"Acme"}"#)
            expectTagged(workspace, version: 1, suffix: "-owner", "workspace")
            let workspaceID = try #require(workspace.string("id"))
            expectTagged(
                try await api.send(
                    .patch, "/api/v1/workspaces/\(workspaceID)", token: token, json: #"{"name":"Acme 2"}"#), version: 2,
                suffix: "-owner", "renamed workspace")
            let member = try await api.send(
                .post, "/api/v1/workspaces/\(workspaceID)/members", token: token, json: #"{"email":"bob@example.com"}"#)
            expectTagged(member, version: 1, "member")
            expectTagged(
                try await api.send(
                    .patch, "/api/v1/workspaces/\(workspaceID)/members/\(bobID)", token: token,
                    json: #"{"role":"admin"}"#),
                version: 2, "member role")

            let project = try await api.send(
                .post, "/api/v1/projects", token: token, json: #"{"workspace_id":"\#(workspaceID)","name":"P"}"#)
            expectTagged(project, version: 1, "project")
            let projectID = try #require(project.string("id"))
            expectTagged(
                try await api.send(.patch, "/api/v1/projects/\(projectID)", token: token, json: #"{"archived":true}"#),
                version: 2,
                "archived project")
            expectTagged(
                try await api.send(
                    .post, "/api/v1/projects/\(projectID)/members", token: token, json: #"{"user_id":"\#(bobID)"}"#),
                version: 1,
                "project member")
            expectTagged(
                try await api.send(
                    .patch, "/api/v1/projects/\(projectID)/members/\(bobID)", token: token, json: #"{"role":"viewer"}"#),
                version: 2, "project member role")

            let task = try #require(
                try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title":"T"}"#).string("id"))
            let comment = try await api.send(
                .post, "/api/v1/tasks/\(task)/comments", token: token, json: #"{"body":"a"}"#)
            expectTagged(comment, version: 1, "comment")
            let commentID = try #require(comment.string("id"))
            expectTagged(
                try await api.send(.patch, "/api/v1/comments/\(commentID)", token: token, json: #"{"body":"b"}"#),
                version: 2,
                "edited comment")
            expectTagged(
                try await api.send(.get, "/api/v1/comments/\(commentID)", token: token), version: 2, "read comment")
        }
    }

    @Test("If-None-Match with the current tag (weak comparison, lists, *) answers 304 with the ETag and no body")
    func notModified() async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("ann")
            let task = try #require(
                try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title":"T"}"#).string("id"))
            for header in ["\"1\"", "W/\"1\"", "\"9\", \"1\"", "*"] {
                let response = try await api.send(
                    .get, "/api/v1/tasks/\(task)", token: token, headers: [.ifNoneMatch: header])
                #expect(
                    response.status == .notModified && response.body.isEmpty && response.headers[.eTag] == "\"1\"",
                    "\(header)")
            }
            let changed = try await api.send(
                .get, "/api/v1/tasks/\(task)", token: token, headers: [.ifNoneMatch: "\"2\""])
            #expect(changed.status == .ok && changed.string("title") == "T")
            let workspace = try #require(
                try await api.send(.get, "/api/v1/workspaces", token: token).items.first?["id"] as? String)
            let owner = try await api.send(
                .get, "/api/v1/workspaces/\(workspace)", token: token, headers: [.ifNoneMatch: "\"1-owner\""])
            #expect(owner.status == .notModified)
            let otherRole = try await api.send(
                .get, "/api/v1/workspaces/\(workspace)", token: token, headers: [.ifNoneMatch: "\"1\""])
            #expect(otherRole.status == .ok)
        }
    }

    @Test(
        "every /api answer, errors included, says private, no-cache and varies by Authorization; token answers say no-store"
    )
    func cacheHeaders() async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("ann")
            for response in [
                try await api.send(.get, "/api/v1/users/me", token: token),
                try await api.send(.get, "/api/v1/users/me"),
                try await api.send(.get, "/api/v1/tasks/\(UUID())", token: token),
            ] {
                #expect(
                    response.headers[.cacheControl] == "private, no-cache" && response.headers[.vary] == "Authorization"
                )
            }
            let login = try await api.send(
                .post, "/api/v1/auth/login", json: #"{"email":"ann@example.com","password":"password-ann"}"#)
            #expect(login.headers[.cacheControl] == "no-store" && login.headers[.vary] == "Authorization")
            #expect(try await api.send(.get, "/health").headers[.cacheControl] == nil)
        }
    }

    @Test("entity tag conditions: strong and weak tags, lists, *, bare tags, and junk that matches nothing")
    func conditions() throws {
        let condition = try #require(EntityTagCondition(#""1", W/"2", 3, junk"x, "4-owner""#))
        #expect(
            condition.matchesStrongly("1") && condition.matchesStrongly("3") && condition.matchesStrongly("4-owner"))
        #expect(!condition.matchesStrongly("2") && condition.matchesWeakly("2") && !condition.matchesStrongly("x"))
        #expect(try #require(EntityTagCondition("*")).matchesStrongly("anything"))
        #expect(EntityTagCondition(nil) == nil)
    }
}
