import Foundation
import HTTPTypes
import NIOCore
import TaskCore
import TaskTestSupport
import Testing

/// Input an attacker or a sloppy client sends: each answer is a 4xx naming what is wrong, never a crash or a 5xx.
@Suite("HTTP: hostile and sloppy input")
struct InputHardeningTests {
    /// The text of a cursor whose JSON is `json`, as taskd encodes cursors.
    static func cursor(_ json: String) -> String {
        Data(json.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test("forged cursors on every paged list and sort are a 422 naming cursor", arguments: StoreKind.available)
    func forgedCursors(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (token, userID) = try await api.signUp("ann")
            let task = try #require(
                try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title":"T"}"#).string("id"))
            let workspace = try #require(
                try await api.send(.get, "/api/v1/workspaces", token: token).items.first?["id"] as? String)
            let project = try await api.project(in: workspace, token: token)
            let id = "00000000-0000-0000-0000-000000000001"
            let values = [
                #"{"value":{"d":9223372036854775807},"id":"\#(id)"}"#,
                #"{"value":{"d":-9223372036854775808},"id":"\#(id)"}"#,
                #"{"value":{"d":-8640000000000000},"id":"\#(id)"}"#, #"{"value":{"d":1795341600000},"id":"\#(id)"}"#,
                #"{"value":{"n":9223372036854775807},"id":"\#(id)"}"#, #"{"value":{"n":-1},"id":"\#(id)"}"#,
                #"{"value":{},"id":"\#(id)"}"#,
                #"{"value":{"d":"soon"},"id":"\#(id)"}"#, #"{"value":{"d":1e300},"id":"\#(id)"}"#,
                #"{"value":{"n":2},"id":"\#(id)"}"#,
            ]
            var lists: [(path: String, ordering: String)] = [
                ("/api/v1/workspaces", "workspaces"), ("/api/v1/workspaces/\(workspace)/members", "workspace_members"),
                ("/api/v1/projects", "projects"), ("/api/v1/projects/\(project)/members", "project_members"),
                ("/api/v1/tasks/\(task)/subtasks", "created_at"), ("/api/v1/tasks/\(task)/comments", "comments"),
                ("/api/v1/tasks/\(task)/activity", "activity"), ("/api/\(userID)/tasks", "created_at"),
            ]
            for sort in [
                "created_at", "-created_at", "updated_at", "-updated_at", "due_date", "-due_date", "priority",
                "-priority",
            ] {
                lists.append(("/api/v1/tasks?sort=\(sort)&", sort))
                lists.append(("/api/v1/tasks?project_id=\(project)&sort=\(sort)&", sort))
            }
            for (path, ordering) in lists {
                for value in values {
                    let cursor = Self.cursor(#"{"o":"\#(ordering)","p":\#(value)}"#)
                    let separator = path.contains("?") ? "" : "?"
                    let response = try await api.send(.get, "\(path)\(separator)cursor=\(cursor)", token: token)
                    let isInteger = ["activity", "priority", "-priority"].contains(ordering)
                    let valid =
                        (value.hasPrefix(#"{"value":{"d":1795341600000}"#) && !isInteger)
                        || (value.hasPrefix(#"{"value":{"n":2}"#) && isInteger)
                        || (value.hasPrefix(#"{"value":{"n":9223372036854775807}"#) && ordering == "activity")
                        || (value.hasPrefix(#"{"value":{},"#) && ordering.hasSuffix("due_date"))
                    if valid {
                        #expect(response.status == .ok, "\(path) \(value)")
                    } else {
                        #expect(response.status == .unprocessableContent, "\(path) \(ordering) \(value)")
                        #expect(response.errorFields == ["cursor"], "\(path) \(value)")
                    }
                }
            }
        }
    }

    @Test("query strings are form-encoded: + is a space, %XX is UTF-8, invalid UTF-8 is a 422 naming the parameter")
    func formEncodedQueries() async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("ann")
            _ = try await api.send(
                .post, "/api/v1/tasks", token: token, json: #"{"title":"alpha beta","tags":["x y"]}"#)
            _ = try await api.send(
                .post, "/api/v1/tasks", token: token, json: #"{"title":"alpha only","tags":["x+y"]}"#)
            let words = try await api.send(.get, "/api/v1/tasks?q=alpha+beta", token: token)
            #expect(words.items.map { $0["title"] as? String } == ["alpha beta"])
            let tag = try await api.send(.get, "/api/v1/tasks?tag=x+y", token: token)
            #expect(tag.items.map { $0["title"] as? String } == ["alpha beta"])
            let escapedPlus = try await api.send(.get, "/api/v1/tasks?tag=x%2By", token: token)
            #expect(escapedPlus.items.map { $0["title"] as? String } == ["alpha only"])
            let invalid = try await api.send(.get, "/api/v1/tasks?q=%FF%FE", token: token)
            #expect(invalid.status == .unprocessableContent && invalid.errorFields == ["q"])
        }
    }

    @Test("q is capped at 16 different words; repeated words count once")
    func searchWordCap() async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("ann")
            let repeated = Array(repeating: "same", count: 40).joined(separator: "+")
            #expect(try await api.send(.get, "/api/v1/tasks?q=\(repeated)", token: token).status == .ok)
            let many = (0..<17).map { "w\($0)" }.joined(separator: "+")
            let refused = try await api.send(.get, "/api/v1/tasks?q=\(many)", token: token)
            #expect(refused.status == .unprocessableContent && refused.errorFields == ["q"])
        }
    }

    @Test(
        "JSON that Foundation would accept but RFC 8259 does not is a 400",
        arguments: [
            #"{"title":"x",}"#, #"{"title":"x"} x"#, #"{"title":"x"}{}"#, #"{"title":"x" // note"#,
            #"{/* c */"title":"x"}"#,
            #"{"title":"x","title":"y"}"#, #"{'title':'x'}"#, #"{title:"x"}"#, #"{"title":"x","n":NaN}"#,
            #"{"title":"x","n":Infinity}"#, #"{"title":"x","n":01}"#, #"{"title":"x","n":1.}"#,
            #"{"title":"x","n":+1}"#,
            "\u{FEFF}{\"title\":\"x\"}", #"{"title":"\ud800"}"#, "{\"title\":\"a\u{1}b\"}", #"[1,]"#,
            #"{"title":"\x"}"#,
            String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
        ])
    func strictJSON(body: String) async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("ann")
            let response = try await api.send(.post, "/api/v1/tasks", token: token, json: body)
            #expect(response.status == .badRequest && response.string("code") == "malformed_request")
        }
    }

    @Test("a body that is not UTF-8 is a 400")
    func invalidUTF8Body() async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("ann")
            var buffer = ByteBuffer(string: #"{"title":""#)
            buffer.writeBytes([0xC3, 0x28, 0xFF])
            buffer.writeString(#""}"#)
            let response = try await api.send(
                .post, "/api/v1/tasks", token: token, headers: [.contentType: "application/json"], body: buffer)
            #expect(response.status == .badRequest)
        }
    }

    @Test("one 422 names every bad field: the type and choice faults and the text rules together")
    func everyBadField() async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("ann")
            let task = try await api.send(
                .post, "/api/v1/tasks", token: token, json: #"{"title":"","priority":"extreme","status":"nope"}"#)
            #expect(task.status == .unprocessableContent && Set(task.errorFields) == ["title", "priority", "status"])
            let id = try #require(
                try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title":"T"}"#).string("id"))
            let patch = try await api.send(
                .patch, "/api/v1/tasks/\(id)", token: token, json: #"{"title":"  ","tags":[""],"due_date":"someday"}"#)
            #expect(
                patch.status == .unprocessableContent && Set(patch.errorFields) == ["title", "tags[0]", "due_date"])
            let me = try await api.send(.patch, "/api/v1/users/me", token: token, json: #"{"name":"","email":5}"#)
            #expect(me.status == .unprocessableContent && Set(me.errorFields) == ["name", "email"])
            let workspace = try #require(
                try await api.send(.get, "/api/v1/workspaces", token: token).items.first?["id"] as? String)
            let project = try await api.send(
                .post, "/api/v1/projects", token: token,
                json: #"{"workspace_id":"\#(workspace)","name":"","visibility":"secret"}"#)
            #expect(project.status == .unprocessableContent && Set(project.errorFields) == ["name", "visibility"])
        }
    }

    @Test("an id is read in its canonical form only: a lax one is a 422 in a body and a 404 in a path")
    func laxIDs() async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("ann")
            let workspace = try #require(
                try await api.send(.get, "/api/v1/workspaces", token: token).items.first?["id"] as? String)
            let project = try await api.project(in: workspace, token: token)
            let task = try #require(
                try await api.send(
                    .post, "/api/v1/tasks", token: token, json: #"{"title":"T","project_id":"\#(project)"}"#
                ).string("id"))
            // The harness's ids start with "00"; a parser built on `sscanf("%2hhx")` reads " 0" and "+0" as that
            // same byte, so these texts would name the real project and task.
            #expect(project.hasPrefix("00") && task.hasPrefix("00"))
            for lax in [" ", "+"] {
                let body = try await api.send(
                    .post, "/api/v1/tasks", token: token,
                    json: #"{"title":"T","project_id":"\#(lax + project.dropFirst())"}"#)
                #expect(body.status == .unprocessableContent && body.errorFields == ["project_id"], "\(lax)")
            }
            let path = try await api.send(.get, "/api/v1/tasks/+\(task.dropFirst())", token: token)
            #expect(path.status == .notFound)
            #expect(try await api.send(.get, "/api/v1/tasks/\(task.uppercased())", token: token).status == .ok)
        }
    }

    @Test(
        "a login email with a NUL or of 3,000 characters is a 422 naming email, on every store",
        arguments: StoreKind.available)
    func loginEmails(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            for email in [#"ann\u0000@example.com"#, String(repeating: "a", count: 3000) + "@example.com"] {
                let response = try await api.send(
                    .post, "/api/v1/auth/login", json: #"{"email":"\#(email)","password":"password-ann"}"#)
                #expect(response.status == .unprocessableContent && response.errorFields == ["email"])
            }
        }
    }

    @Test("an If-Match of any size never traps: a number beyond every version is a 412")
    func hugeIfMatch() async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("ann")
            let id = try #require(
                try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title":"T"}"#).string("id"))
            for tag in ["\"99999999999999999999999\"", "\"9223372036854775807\"", "\"-1\"", "W/\"1\"x", "\"\""] {
                let response = try await api.send(
                    .patch, "/api/v1/tasks/\(id)", token: token, json: #"{"title":"U"}"#, headers: [.ifMatch: tag])
                #expect(response.status == .preconditionFailed, "\(tag)")
            }
        }
    }

    @Test("registrations per client address are limited: past it, 429 with Retry-After")
    func registrationLimit() async throws {
        let harness = try await APIHarness.make { services in
            services.accounts.registrationThrottle = LoginThrottle(limit: 2, window: .seconds(3600))
        }
        try await harness.run(.live) { api in
            for index in 0..<2 {
                let response = try await api.send(
                    .post, "/api/v1/auth/register",
                    json: #"{"email":"u\#(index)@example.com","password":"password-u","name":"U"}"#)
                #expect(response.status == .created)
            }
            let refused = try await api.send(
                .post, "/api/v1/auth/register", json: #"{"email":"u9@example.com","password":"password-u","name":"U"}"#)
            #expect(refused.status == .tooManyRequests && refused.headers[.retryAfter] == "3600")
            #expect(refused.string("code") == "too_many_attempts")
        }
    }
}
