import Foundation
import HTTPTypes
import NIOCore
import TaskTestSupport
import Testing

@Suite("HTTP: errors are problem documents")
struct ErrorHandlingTests {
    @Test("malformed JSON 400, wrong content type 415, body over 1 MiB 413, wrong shape 422 naming the fields")
    func bodies() async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("alice")
            let malformed = try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title": "#)
            #expect(malformed.status == .badRequest && malformed.headers[.contentType] == "application/problem+json")
            #expect(malformed.string("code") == "malformed_request" && malformed.json["status"] as? Int == 400)

            let wrongType = try await api.send(
                .post, "/api/v1/tasks", token: token, json: #"{"title":"x"}"#, headers: [.contentType: "text/plain"])
            #expect(wrongType.status == .unsupportedMediaType)

            let huge = String(repeating: "a", count: 1024 * 1024 + 10)
            let tooLarge = try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title":"\#(huge)"}"#)
            #expect(tooLarge.status == .contentTooLarge)

            let shape = try await api.send(
                .post, "/api/v1/tasks", token: token,
                json: #"{"title": 5, "tags": "x", "due_date": "tomorrow", "priority": "max"}"#)
            #expect(shape.status == .unprocessableContent)
            #expect(Set(shape.errorFields) == ["title", "tags", "due_date", "priority"])

            let notObject = try await api.send(.post, "/api/v1/tasks", token: token, json: "[1,2]")
            #expect(notObject.status == .unprocessableContent && notObject.errorFields == ["body"])

            let nul = try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title":"a\u0000b"}"#)
            #expect(nul.status == .unprocessableContent && nul.errorFields == ["title"])
        }
    }

    @Test("unknown route 404, known path with another method 405 with Allow, non-UUID id 404")
    func routing() async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("alice")
            let unknown = try await api.send(.get, "/api/v1/nothing-here", token: token)
            #expect(unknown.status == .notFound && unknown.string("code") == "route_not_found")
            let method = try await api.send(.delete, "/api/v1/workspaces", token: token)
            #expect(method.status == .methodNotAllowed && method.headers[.allow] == "GET, POST")
            let badID = try await api.send(.get, "/api/v1/tasks/not-a-uuid", token: token)
            #expect(badID.status == .notFound && badID.string("code") == "task_not_found")
        }
    }

    @Test("null for a field that cannot be cleared is 422 naming it; leaving the field out changes nothing")
    func nullFields() async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("alice")
            let me = try await api.send(.patch, "/api/v1/users/me", token: token, json: #"{"name":null,"email":null}"#)
            #expect(me.status == .unprocessableContent && Set(me.errorFields) == ["name", "email"])
            let workspace = try await api.send(.post, "/api/v1/workspaces", token: token, json: #"{"name":"Acme"}"#)
            let id = try #require(workspace.string("id"))
            let rename = try await api.send(.patch, "/api/v1/workspaces/\(id)", token: token, json: #"{"name":null}"#)
            #expect(rename.status == .unprocessableContent && rename.errorFields == ["name"])
            let unchanged = try await api.send(.patch, "/api/v1/workspaces/\(id)", token: token, json: "{}")
            #expect(unchanged.status == .ok && unchanged.string("name") == "Acme")
            let project = try await api.send(
                .post, "/api/v1/projects", token: token, json: #"{"workspace_id":"\#(id)","name":"P"}"#)
            let projectID = try #require(project.string("id"))
            let nulls = try await api.send(
                .patch, "/api/v1/projects/\(projectID)", token: token,
                json: #"{"name":null,"visibility":null,"archived":null}"#)
            #expect(
                nulls.status == .unprocessableContent && Set(nulls.errorFields) == ["name", "visibility", "archived"])
            let task = try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title":"T"}"#)
            let taskID = try #require(task.string("id"))
            let complete = try await api.send(
                .patch, "/api/v1/tasks/\(taskID)/complete", token: token, json: #"{"completed":null}"#)
            #expect(complete.status == .unprocessableContent && complete.errorFields == ["completed"])
        }
    }

    @Test("bad query values are 422 naming the parameter")
    func queries() async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("alice")
            for (query, field) in [
                ("limit=0", "limit"), ("limit=101", "limit"), ("limit=ten", "limit"), ("sort=title", "sort"),
                ("cursor=zzz", "cursor"), ("due_before=yesterday", "due_before"), ("project_id=nope", "project_id"),
                ("completed=maybe", "completed"), ("status=later", "status"),
            ] {
                let response = try await api.send(.get, "/api/v1/tasks?\(query)", token: token)
                #expect(response.status == .unprocessableContent, "\(query)")
                #expect(response.errorFields == [field], "\(query)")
            }
        }
    }

    @Test("every /api/v1 route but register, login and refresh needs a valid bearer token")
    func authentication() async throws {
        try await APIHarness.make().run { api in
            for (method, path) in [
                (HTTPRequest.Method.get, "/api/v1/users/me"), (.get, "/api/v1/tasks"), (.post, "/api/v1/workspaces"),
                (.post, "/api/v1/auth/logout"), (.get, "/api/00000000-0000-0000-0000-000000000001/tasks"),
            ] {
                let missing = try await api.send(method, path)
                #expect(missing.status == .unauthorized && missing.headers[.wwwAuthenticate] == "Bearer", "\(path)")
            }
            let payload = Data(#"{"sub":"x","exp":9999999999,"iat":1,"iss":"taskd"}"#.utf8).base64EncodedString()
            for token in ["garbage", "a.b.c", "eyJhbGciOiJub25lIn0.\(payload)."] {
                let response = try await api.send(.get, "/api/v1/users/me", token: token)
                #expect(response.status == .unauthorized && response.headers[.wwwAuthenticate] == "Bearer")
            }
            let basic = try await api.send(.get, "/api/v1/users/me", headers: [.authorization: "Basic YTpi"])
            #expect(basic.status == .unauthorized)
        }
    }
}
