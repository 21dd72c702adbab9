import Foundation
import HTTPTypes
import TaskHTTP
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

/// `If-Match` on every write of every kind of resource.
@Suite("HTTP: conditional writes")
struct ConditionalWriteTests {
    /// A resource the test changes: where it is, a body that changes it, and its tag suffix.
    struct Target {
        let label: String
        let path: String
        let patch: String
        var suffix = ""
    }

    @Test(
        "a stale If-Match is 412 with the current ETag and changes nothing, on every kind of resource",
        arguments: StoreKind.available)
    func staleIfMatchEverywhere(_ kind: StoreKind) async throws {
        let harness = try await APIHarness.make(kind)
        try await harness.run { api in
            let (token, annID) = try await api.signUp("ann")
            let (_, bobID) = try await api.signUp("bob")
            _ = try await harness.services.admin.promote(email: "ann@example.com")
            let workspace = try #require(
                try await api.send(.post, "/api/v1/workspaces", token: token, json: #"{"name":"W"}"#).string("id"))
            _ = try await api.send(
                .post, "/api/v1/workspaces/\(workspace)/members", token: token, json: #"{"email":"bob@example.com"}"#)
            let project = try #require(
                try await api.send(
                    .post, "/api/v1/projects", token: token, json: #"{"workspace_id":"\#(workspace)","name":"P"}"#
                )
                .string("id"))
            _ = try await api.send(
                .post, "/api/v1/projects/\(project)/members", token: token, json: #"{"user_id":"\#(bobID)"}"#)
            let task = try #require(
                try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title":"T"}"#).string("id"))
            let comment = try #require(
                try await api.send(.post, "/api/v1/tasks/\(task)/comments", token: token, json: #"{"body":"c"}"#)
                    .string("id"))
            let targets = [
                Target(label: "me", path: "/api/v1/users/me", patch: #"{"name":"X"}"#),
                Target(label: "user", path: "/api/v1/users/\(bobID)", patch: #"{"name":"X"}"#),
                Target(
                    label: "workspace", path: "/api/v1/workspaces/\(workspace)", patch: #"{"name":"X"}"#,
                    suffix: "-owner"),
                Target(
                    label: "member", path: "/api/v1/workspaces/\(workspace)/members/\(bobID)",
                    patch: #"{"role":"admin"}"#),
                Target(label: "project", path: "/api/v1/projects/\(project)", patch: #"{"name":"X"}"#),
                Target(
                    label: "project member", path: "/api/v1/projects/\(project)/members/\(bobID)",
                    patch: #"{"role":"viewer"}"#),
                Target(label: "task", path: "/api/v1/tasks/\(task)", patch: #"{"title":"X"}"#),
                Target(label: "comment", path: "/api/v1/comments/\(comment)", patch: #"{"body":"X"}"#),
                Target(label: "own task", path: "/api/\(annID)/tasks/\(task)", patch: #"{"title":"X"}"#),
            ]
            for target in targets {
                let before = try await api.send(.get, target.path, token: token)
                let current = try #require(before.headers[.eTag], "\(target.label)")
                for stale in ["\"99\(target.suffix)\"", "W/\(current)"] {
                    let refused = try await api.send(
                        .patch, target.path, token: token, json: target.patch, headers: [.ifMatch: stale])
                    #expect(
                        refused.status == .preconditionFailed && refused.string("code") == "version_mismatch",
                        "\(target.label) \(stale)")
                    #expect(refused.headers[.eTag] == current, "\(target.label)")
                }
                let badBody = try await api.send(
                    .patch, target.path, token: token, json: #"{"name":5,"title":5,"role":5,"body":5}"#,
                    headers: [.ifMatch: "\"99\(target.suffix)\""])
                #expect(badBody.status == .preconditionFailed, "\(target.label): a stale tag with a bad body is 412")
                #expect(
                    try await api.send(.get, target.path, token: token).text == before.text,
                    "\(target.label): nothing changed")
                let accepted = try await api.send(
                    .patch, target.path, token: token, json: target.patch, headers: [.ifMatch: "\"1\", \(current)"])
                #expect(accepted.status == .ok, "\(target.label): a list naming the current tag matches")
            }
            let completeStale = try await api.send(
                .patch, "/api/v1/tasks/\(task)/complete", token: token, headers: [.ifMatch: "\"1\""])
            #expect(completeStale.status == .preconditionFailed)
            for path in [
                "/api/v1/comments/\(comment)", "/api/v1/projects/\(project)/members/\(bobID)", "/api/v1/tasks/\(task)",
            ] {
                #expect(
                    try await api.send(.delete, path, token: token, headers: [.ifMatch: "\"99\""]).status
                        == .preconditionFailed, "\(path)")
                #expect(
                    try await api.send(.delete, path, token: token, headers: [.ifMatch: "*"]).status == .noContent,
                    "\(path)")
            }
            #expect(
                try await api.send(.delete, "/api/v1/projects/\(project)", token: token, headers: [.ifMatch: "*"])
                    .status == .noContent)
            #expect(
                try await api.send(
                    .delete, "/api/v1/workspaces/\(workspace)", token: token, headers: [.ifMatch: "\"1-owner\""]
                ).status == .preconditionFailed)
            #expect(
                try await api.send(
                    .delete, "/api/v1/workspaces/\(workspace)", token: token, headers: [.ifMatch: "\"2-owner\""]
                ).status == .noContent)
        }
    }

    @Test("preconditions come after 404 and 403: another user's resource answers as before, whatever If-Match says")
    func orderOfChecks() async throws {
        try await APIHarness.make().run { api in
            let (ann, _) = try await api.signUp("ann")
            let (bob, _) = try await api.signUp("bob")
            let task = try #require(
                try await api.send(.post, "/api/v1/tasks", token: ann, json: #"{"title":"T"}"#).string("id"))
            #expect(
                try await api.send(
                    .patch, "/api/v1/tasks/\(task)", token: bob, json: "{}", headers: [.ifMatch: "\"9\""]
                ).status == .notFound)
            let workspace = try #require(
                try await api.send(.post, "/api/v1/workspaces", token: ann, json: #"{"name":"W"}"#).string("id"))
            _ = try await api.send(
                .post, "/api/v1/workspaces/\(workspace)/members", token: ann, json: #"{"email":"bob@example.com"}"#)
            #expect(
                try await api.send(
                    .patch, "/api/v1/workspaces/\(workspace)", token: bob, json: "{}", headers: [.ifMatch: "\"9\""]
                ).status == .forbidden)
        }
    }

    @Test("with TASKD_REQUIRE_IF_MATCH, a PATCH, PUT or DELETE without If-Match is 428; with it, it runs")
    func requiredIfMatch() async throws {
        let harness = try await APIHarness.make(configuration: HTTPConfiguration(requiresIfMatch: true))
        try await harness.run { api in
            let (token, _) = try await api.signUp("ann")
            let task = try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title":"T"}"#)
            let id = try #require(task.string("id"))
            for (method, json) in [
                (HTTPRequest.Method.patch, #"{"title":"X"}"#), (.put, #"{"title":"X"}"#), (.delete, nil),
            ] {
                let refused = try await api.send(method, "/api/v1/tasks/\(id)", token: token, json: json)
                #expect(
                    refused.status == .preconditionRequired && refused.string("code") == "precondition_required",
                    "\(method)")
            }
            #expect(
                try await api.send(
                    .patch, "/api/v1/tasks/\(id)", token: token, json: #"{"title":"X"}"#, headers: [.ifMatch: "\"1\""]
                ).status == .ok)
            #expect(
                try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title":"U"}"#).status == .created,
                "creates need no If-Match")
        }
    }
}
