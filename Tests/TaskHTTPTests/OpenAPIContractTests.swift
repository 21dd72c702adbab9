import Foundation
import HTTPTypes
import Synchronization
import TaskCore
import TaskTestSupport
import Testing

@testable import TaskHTTP

/// `docs/openapi.yaml` against the router and against real answers.
@Suite("HTTP: the OpenAPI document is true")
struct OpenAPIContractTests {
    @Test("every route of the controllers is an operation of the document, and every operation is a route")
    func documentMatchesRouter() async throws {
        let contract = try OpenAPIContract.load()
        let documented = Set(contract.operations.keys.map(\.description))
        let served = Set(try await APIHarness.make().routes.entries.map { "\($0.method.rawValue) \($0.path)" })
        #expect(served.subtracting(documented).isEmpty, "served but not documented")
        #expect(documented.subtracting(served).isEmpty, "documented but not served")
        #expect(served.count > 50)
    }

    @Test(
        "every operation names the scope a personal access token needs (x-token-scope), as TokenRouteRules decides, and the table lists no other route"
    )
    func tokenScopes() throws {
        let operations = try OpenAPIContract.load().operations
        for (operation, object) in operations {
            let rule = TokenRouteRules.rule(method: operation.method, path: operation.path)
            let documented = object["x-token-scope"] as? String
            let expected =
                switch rule {
                case .open: "open"
                case .sessionOnly: "none"
                case .needs(let scope): scope.rawValue
                }
            #expect(documented == expected, "\(operation): documented \(documented ?? "nothing"), decided \(expected)")
            #expect(
                TokenRouteRules.table["\(operation.method) \(operation.path)"] != nil,
                "\(operation) is missing from TokenRouteRules")
            if operation.method == "GET", case .needs(let scope) = rule { #expect(scope == .read, "\(operation)") }
        }
        #expect(Set(TokenRouteRules.table.keys) == Set(operations.keys.map(\.description)))
    }

    @Test("every operation has an operationId, and no two share one")
    func operationIDs() throws {
        let operations = try OpenAPIContract.load().operations
        let ids = operations.map { $0.value["operationId"] as? String }
        #expect(
            !ids.contains(nil),
            "operations without an operationId: \(operations.filter { $0.value["operationId"] == nil }.map(\.key))")
        #expect(Set(ids.compactMap { $0 }).count == ids.count)
    }

    @Test("the answers to a walk through every route have documented statuses and match their schemas")
    func answersMatchTheDocument() async throws {
        let contract = try OpenAPIContract.load()
        let harness = try await APIHarness.make()
        let recorder = Recorder()
        try await harness.run { client in
            let api = RecordingClient(client: client, recorder: recorder)
            try await Self.walk(api, harness: harness)
        }
        var problems: [String] = []
        for answer in recorder.answers {
            let documented = contract.operations[answer.operation]?["responses"] as? [String: Any] ?? [:]
            guard documented.keys.contains(String(answer.status)) else {
                problems.append("\(answer.operation) answered \(answer.status), which it does not document")
                continue
            }
            guard answer.contentType.contains("json") else { continue }
            do {
                let schema = try contract.responseSchema(
                    answer.operation, status: answer.status, contentType: answer.contentType)
                let value = try StrictJSON.parse(answer.body)
                problems += try contract.violations(of: value, against: schema).map {
                    "\(answer.operation) \(answer.status): \($0)"
                }
            } catch {
                problems.append("\(answer.operation) \(answer.status): \(error)")
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(recorder.answers.count > 80 && Set(recorder.answers.map(\.status)).count >= 10)
        let covered = Set(recorder.answers.map(\.operation))
        let missed = Set(contract.operations.keys).subtracting(covered)
        #expect(missed.isEmpty, "operations the walk did not reach: \(missed)")
    }

    @Test("the schema check itself finds a wrong type, a missing field, a bad enum value and a bad time stamp")
    func checkerFindsFaults() throws {
        let contract = try OpenAPIContract.load()
        let schema = try contract.responseSchema(
            .init(method: "GET", path: "/api/v1/tasks/{id}"), status: 200, contentType: "application/json")
        let faulty = try StrictJSON.parse(Array(#"{"id":5,"priority":"extreme","created_at":"yesterday"}"#.utf8))
        let found = try contract.violations(of: faulty, against: schema)
        #expect(found.contains { $0.hasPrefix("$.id:") } && found.contains { $0.hasPrefix("$.priority:") })
        #expect(found.contains { $0.hasPrefix("$.created_at:") } && found.contains { $0.contains("title is missing") })
        #expect(throws: ContractError.self) {
            try contract.responseSchema(
                .init(method: "GET", path: "/api/v1/tasks/{id}"), status: 418, contentType: "application/json")
        }
    }

    /// Calls every operation at least once, with answers of many statuses.
    static func walk(_ api: RecordingClient, harness: APIHarness) async throws {
        for path in ["/", "/health", "/health/ready", "/metrics", "/openapi.yaml", "/docs"] {
            try await api.call(.get, path)
        }

        let register = #"{"email":"ann@example.com","password":"password-ann","name":"Ann"}"#
        try await api.call(.post, "/api/v1/auth/register", json: register)
        try await api.call(.post, "/api/v1/auth/register", json: register)
        try await api.call(.post, "/api/v1/auth/register", json: #"{"email":"nope","password":"x","name":""}"#)
        try await api.call(.post, "/api/v1/auth/register", json: #"{"email":"#)
        try await api.call(
            .post, "/api/v1/auth/signup",
            json: #"{"email":"bob@example.com","password":"password-bob","username":"Bob"}"#)
        try await api.call(.post, "/api/v1/auth/login", json: #"{"email":"ann@example.com","password":"wrong-pass"}"#)
        try await api.call(
            .post, "/api/v1/auth/login", json: #"{"email":"a\u0000@example.com","password":"wrong-pass"}"#)
        let login = try await api.call(
            .post, "/api/v1/auth/login", json: #"{"email":"ann@example.com","password":"password-ann"}"#)
        let token = try #require(login.string("access_token"))
        let refresh = try #require(login.string("refresh_token"))
        let bobLogin = try await api.call(
            .post, "/api/v1/auth/login", json: #"{"email":"bob@example.com","password":"password-bob"}"#)
        let bob = try #require(bobLogin.string("access_token"))
        let renewed = try await api.call(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
        try await api.call(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
        try await api.call(
            .post, "/api/v1/auth/logout", token: token,
            json: #"{"refresh_token":"\#(renewed.string("refresh_token") ?? "")"}"#)
        try await api.call(.get, "/api/v1/users/me")

        let me = try await api.call(.get, "/api/v1/users/me", token: token)
        let annID = try #require(me.string("id"))
        try await api.call(.get, "/api/v1/users/me", token: token, headers: [.ifNoneMatch: me.headers[.eTag] ?? ""])
        let bobID = try #require(try await api.call(.get, "/api/v1/users/me", token: bob).string("id"))
        try await api.call(.patch, "/api/v1/users/me", token: token, json: #"{"name":"Ann B"}"#)
        try await api.call(.patch, "/api/v1/users/me", token: token, json: #"{"email":"bob@example.com"}"#)
        try await api.call(.patch, "/api/v1/users/me", token: token, json: #"{"name":""}"#)
        try await api.call(
            .post, "/api/v1/users/me/password", token: token,
            json: #"{"current_password":"wrong-pass","new_password":"password-new"}"#)
        try await api.call(
            .post, "/api/v1/users/me/password", token: token,
            json: #"{"current_password":"password-ann","new_password":"short"}"#)
        try await api.call(.get, "/api/v1/users", token: token)
        _ = try await harness.services.admin.promote(email: "ann@example.com")
        try await api.call(.get, "/api/v1/users?limit=1", token: token)
        try await api.call(.get, "/api/v1/users/{id}", ["id": bobID], token: token)
        try await api.call(.get, "/api/v1/users/{id}", ["id": UUID().uuidString], token: token)
        try await api.call(.patch, "/api/v1/users/{id}", ["id": bobID], token: token, json: #"{"name":"Robert"}"#)

        let newToken = #"{"name":"CI","scopes":["read"],"expires_at":"2027-01-01T00:00:00Z"}"#
        let pat = try await api.call(.post, "/api/v1/users/me/tokens", token: token, json: newToken)
        let patID = try #require(pat.string("id"))
        let patText = try #require(pat.string("token"))
        try await api.call(.post, "/api/v1/users/me/tokens", token: token, json: #"{"name":"CI","scopes":["all"]}"#)
        try await api.call(.post, "/api/v1/users/me/tokens", token: patText, json: newToken)
        try await api.call(.get, "/api/v1/users/me/tokens", token: token)
        try await api.call(.get, "/api/v1/users/me/tokens/{id}", ["id": patID], token: token)
        try await api.call(.get, "/api/v1/users/{id}/tokens", ["id": bobID], token: token)
        try await api.call(.get, "/api/v1/users/{id}/tokens", ["id": bobID], token: bob)
        try await api.call(.get, "/api/v1/users/me", token: patText)
        try await api.call(.post, "/api/v1/workspaces", token: patText, json: #"{"name":"Nope"}"#)
        try await api.call(.delete, "/api/v1/users/me/tokens/{id}", ["id": patID], token: token)
        try await api.call(.get, "/api/v1/users/me/tokens/{id}", ["id": patID], token: token)
        try await api.call(.get, "/api/v1/users/me", token: patText)
        let bobPAT = try #require(
            try await api.call(.post, "/api/v1/users/me/tokens", token: bob, json: newToken).string("id"))
        try await api.call(
            .delete, "/api/v1/users/{id}/tokens/{token_id}", ["id": bobID, "token_id": bobPAT], token: bob)
        try await api.call(
            .delete, "/api/v1/users/{id}/tokens/{token_id}", ["id": bobID, "token_id": bobPAT], token: token)

        let workspace = try #require(
            try await api.call(.post, "/api/v1/workspaces", token: token, json: #"{"name":"Acme"}"#).string("id"))
        try await api.call(.post, "/api/v1/workspaces", token: token, json: #"{"name":""}"#)
        try await api.call(.get, "/api/v1/workspaces", token: token)
        try await api.call(.get, "/api/v1/workspaces/{id}", ["id": workspace], token: token)
        try await api.call(
            .get, "/api/v1/workspaces/{id}", ["id": workspace], token: token, headers: [.ifNoneMatch: "*"])
        try await api.call(.get, "/api/v1/workspaces/{id}", ["id": workspace], token: bob)
        try await api.call(
            .patch, "/api/v1/workspaces/{id}", ["id": workspace], token: token, json: #"{"name":"Acme Inc"}"#)
        try await api.call(
            .post, "/api/v1/workspaces/{id}/members", ["id": workspace], token: token,
            json: #"{"email":"bob@example.com"}"#)
        try await api.call(
            .post, "/api/v1/workspaces/{id}/members", ["id": workspace], token: token,
            json: #"{"email":"bob@example.com"}"#)
        try await api.call(.get, "/api/v1/workspaces/{id}/members", ["id": workspace], token: token)
        let member = ["id": workspace, "user_id": bobID]
        try await api.call(.get, "/api/v1/workspaces/{id}/members/{user_id}", member, token: token)
        try await api.call(
            .patch, "/api/v1/workspaces/{id}/members/{user_id}", member, token: token, json: #"{"role":"admin"}"#)
        try await api.call(
            .patch, "/api/v1/workspaces/{id}/members/{user_id}", ["id": workspace, "user_id": annID], token: token,
            json: #"{"role":"member"}"#)

        let project = try #require(
            try await api.call(
                .post, "/api/v1/projects", token: token, json: #"{"workspace_id":"\#(workspace)","name":"Launch"}"#
            ).string("id"))
        try await api.call(.get, "/api/v1/projects", token: token)
        try await api.call(.get, "/api/v1/projects/{id}", ["id": project], token: token)
        try await api.call(
            .patch, "/api/v1/projects/{id}", ["id": project], token: token, json: #"{"description":"Go"}"#)
        let projectMember = ["id": project, "user_id": bobID]
        try await api.call(
            .post, "/api/v1/projects/{id}/members", ["id": project], token: token,
            json: #"{"user_id":"\#(bobID)","role":"viewer"}"#)
        try await api.call(.get, "/api/v1/projects/{id}/members", ["id": project], token: token)
        try await api.call(.get, "/api/v1/projects/{id}/members/{user_id}", projectMember, token: token)
        try await api.call(
            .patch, "/api/v1/projects/{id}/members/{user_id}", projectMember, token: token, json: #"{"role":"editor"}"#)

        let task = try #require(
            try await api.call(
                .post, "/api/v1/tasks", token: token,
                json: #"{"title":"Ship","project_id":"\#(project)","due_date":"2026-12-01T10:00:00Z","tags":["a"]}"#
            ).string("id"))
        try await api.call(.post, "/api/v1/tasks", token: token, json: #"{"title":"","priority":"extreme"}"#)
        try await api.call(
            .post, "/api/v1/tasks", token: token, json: #"{"title":"x"}"#, headers: [.contentType: "text/plain"])
        try await api.call(.post, "/api/v1/tasks", token: token, json: #"{"title":"Sub","parent_id":"\#(task)"}"#)
        try await api.call(.get, "/api/v1/tasks?project_id=\(project)&sort=-due_date", token: token)
        try await api.call(.get, "/api/v1/tasks?limit=0", token: token)
        let read = try await api.call(.get, "/api/v1/tasks/{id}", ["id": task], token: token)
        try await api.call(
            .get, "/api/v1/tasks/{id}", ["id": task], token: token, headers: [.ifNoneMatch: read.headers[.eTag] ?? ""])
        try await api.call(.get, "/api/v1/tasks/{id}", ["id": UUID().uuidString], token: token)
        try await api.call(.patch, "/api/v1/tasks/{id}", ["id": task], token: token, json: #"{"priority":"high"}"#)
        try await api.call(
            .patch, "/api/v1/tasks/{id}", ["id": task], token: token, json: #"{"title":"x"}"#,
            headers: [.ifMatch: "\"1\""])
        try await api.call(
            .put, "/api/v1/tasks/{id}", ["id": task], token: token,
            json: #"{"title":"Ship it","project_id":"\#(project)"}"#)
        try await api.call(.patch, "/api/v1/tasks/{id}/complete", ["id": task], token: token)
        try await api.call(.get, "/api/v1/tasks/{id}/subtasks", ["id": task], token: token)
        let comment = try #require(
            try await api.call(
                .post, "/api/v1/tasks/{id}/comments", ["id": task], token: token, json: #"{"body":"Nice"}"#
            ).string("id"))
        try await api.call(.post, "/api/v1/tasks/{id}/comments", ["id": task], token: token, json: #"{"body":""}"#)
        try await api.call(.get, "/api/v1/tasks/{id}/comments", ["id": task], token: token)
        try await api.call(.get, "/api/v1/tasks/{id}/activity", ["id": task], token: token)
        try await api.call(.get, "/api/v1/comments/{id}", ["id": comment], token: token)
        try await api.call(.patch, "/api/v1/comments/{id}", ["id": comment], token: token, json: #"{"body":"Nicer"}"#)
        try await api.call(.patch, "/api/v1/comments/{id}", ["id": comment], token: bob, json: #"{"body":"Mine"}"#)
        try await api.call(.delete, "/api/v1/comments/{id}", ["id": comment], token: token)
        let feed = try await api.call(.get, "/api/v1/workspaces/{id}/events", ["id": workspace], token: token)
        try await api.call(
            .get, "/api/v1/workspaces/{id}/events?after=\(feed.string("next_cursor") ?? "")&kind=task_moved",
            ["id": workspace], token: token)
        try await api.call(.get, "/api/v1/workspaces/{id}/events?after=junk", ["id": workspace], token: token)
        try await api.call(.get, "/api/v1/workspaces/{id}/events", ["id": workspace], token: bob)
        try await api.call(.get, "/api/v1/projects/{id}/events?after=now&limit=5", ["id": project], token: token)
        try await api.call(.get, "/api/v1/projects/{id}/events", ["id": UUID().uuidString], token: token)

        let hooks = ["id": workspace]
        let webhook = try #require(
            try await api.call(
                .post, "/api/v1/workspaces/{id}/webhooks", hooks, token: token,
                json: #"{"url":"https://hooks.example.com/in","events":["task_created"],"description":"CI"}"#
            ).string("id"))
        try await api.call(
            .post, "/api/v1/workspaces/{id}/webhooks", hooks, token: token,
            json: #"{"url":"http://inside.example.com/","events":[]}"#)
        try await api.call(.get, "/api/v1/workspaces/{id}/webhooks", hooks, token: token)
        let hook = ["id": workspace, "webhook_id": webhook]
        try await api.call(.get, "/api/v1/workspaces/{id}/webhooks/{webhook_id}", hook, token: token)
        let ping = try #require(
            try await api.call(.post, "/api/v1/workspaces/{id}/webhooks/{webhook_id}/ping", hook, token: token)
                .string("id"))
        try await api.call(.get, "/api/v1/workspaces/{id}/webhooks/{webhook_id}/deliveries", hook, token: token)
        let delivery = ["id": workspace, "webhook_id": webhook, "delivery_id": ping]
        try await api.call(
            .get, "/api/v1/workspaces/{id}/webhooks/{webhook_id}/deliveries/{delivery_id}", delivery, token: token)
        try await api.call(
            .post, "/api/v1/workspaces/{id}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver", delivery,
            token: token)
        try await api.call(
            .patch, "/api/v1/workspaces/{id}/webhooks/{webhook_id}", hook, token: token,
            json: #"{"events":["*"],"project_id":"\#(project)","enabled":false}"#)
        try await api.call(.post, "/api/v1/workspaces/{id}/webhooks/{webhook_id}/ping", hook, token: token)
        try await api.call(.post, "/api/v1/workspaces/{id}/webhooks/{webhook_id}/rotate-secret", hook, token: token)
        try await api.call(.delete, "/api/v1/workspaces/{id}/webhooks/{webhook_id}", hook, token: token)

        let own = try #require(
            try await api.call(
                .post, "/api/{user_id}/tasks", ["user_id": annID], token: token, json: #"{"title":"Old"}"#
            ).string("id"))
        let compat = ["user_id": annID, "id": own]
        try await api.call(.get, "/api/{user_id}/tasks", ["user_id": annID], token: token)
        try await api.call(.get, "/api/{user_id}/tasks", ["user_id": bobID], token: token)
        try await api.call(.get, "/api/{user_id}/tasks/{id}", compat, token: token)
        try await api.call(.patch, "/api/{user_id}/tasks/{id}", compat, token: token, json: #"{"title":"Older"}"#)
        try await api.call(.put, "/api/{user_id}/tasks/{id}", compat, token: token, json: #"{"title":"Oldest"}"#)
        try await api.call(.patch, "/api/{user_id}/tasks/{id}/complete", compat, token: token)
        try await api.call(.delete, "/api/{user_id}/tasks/{id}", compat, token: token)

        try await api.call(.delete, "/api/v1/tasks/{id}", ["id": task], token: token)
        try await api.call(.delete, "/api/v1/projects/{id}/members/{user_id}", projectMember, token: token)
        try await api.call(.delete, "/api/v1/projects/{id}", ["id": project], token: token)
        try await api.call(.delete, "/api/v1/workspaces/{id}/members/{user_id}", member, token: token)
        try await api.call(.delete, "/api/v1/workspaces/{id}", ["id": workspace], token: token)
        try await api.call(.delete, "/api/v1/users/{id}", ["id": bobID], token: token)
    }
}

/// One answer the walk received, with the operation it called.
struct RecordedAnswer: Sendable {
    let operation: OpenAPIContract.Operation
    let status: Int
    let contentType: String
    let body: Data
}

/// Collects the walk's answers.
final class Recorder: Sendable {
    private let store = Mutex<[RecordedAnswer]>([])

    func record(_ answer: RecordedAnswer) { store.withLock { $0.append(answer) } }
    var answers: [RecordedAnswer] { store.withLock { $0 } }
}

/// A client that calls an operation by its path template and records each answer.
struct RecordingClient: Sendable {
    let client: APIClient
    let recorder: Recorder

    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ template: String, _ parameters: [String: String] = [:], token: String? = nil,
        json: String? = nil, headers: HTTPFields = [:]
    ) async throws -> APIResponse {
        let query = template.firstIndex(of: "?")
        var path = String(template[..<(query ?? template.endIndex)])
        let documented = path
        for (name, value) in parameters { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
        let uri = path + (query.map { String(template[$0...]) } ?? "")
        let response = try await client.send(method, uri, token: token, json: json, headers: headers)
        recorder.record(
            RecordedAnswer(
                operation: .init(method: method.rawValue, path: documented), status: response.status.code,
                contentType: response.headers[.contentType] ?? "", body: response.body))
        return response
    }
}
