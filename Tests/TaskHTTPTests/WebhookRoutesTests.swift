import Foundation
import HTTPTypes
import TaskCore
import TaskTestSupport
import Testing

/// `/api/v1/workspaces/{id}/webhooks`: managing a workspace's webhooks.
@Suite("HTTP: webhooks")
struct WebhookRoutesTests {
    @Test(
        "an admin creates, lists, reads, changes, rotates and deletes a webhook; the secret shows only at creation and rotation",
        arguments: StoreKind.available)
    func lifecycle(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (ann, _) = try await api.signUp("ann")
            let workspace = try await api.workspace("W", token: ann)
            let base = "/api/v1/workspaces/\(workspace)/webhooks"
            let created = try await api.send(
                .post, base, token: ann,
                json: #"{"url":"https://hooks.example.com/in","events":["task_created","comment_added"]}"#)
            #expect(created.status == .created)
            let id = try #require(created.string("id"))
            let secret = try #require(created.string("secret"))
            #expect(secret.hasPrefix("whsec_"))
            #expect(Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
            #expect(created.headers[.location] == "\(base)/\(id)")
            #expect(created.json["events"] as? [String] == ["comment_added", "task_created"])
            #expect(created.json["enabled"] as? Bool == true)
            #expect(created.json["project_id"] is NSNull && created.json["disabled_reason"] is NSNull)

            let listed = try await api.send(.get, base, token: ann)
            #expect(listed.items.map { $0["id"] as? String } == [id])
            #expect(listed.items.allSatisfy { $0["secret"] == nil })
            let read = try await api.send(.get, "\(base)/\(id)", token: ann)
            #expect(read.status == .ok && read.json["secret"] == nil)
            #expect(read.headers[.eTag] == "\"1\"")

            let changed = try await api.send(
                .patch, "\(base)/\(id)", token: ann, json: #"{"events":["*"],"enabled":false,"description":"off"}"#,
                headers: [.ifMatch: "\"1\""])
            #expect(changed.status == .ok)
            #expect(changed.json["events"] as? [String] == ["*"])
            #expect(changed.json["enabled"] as? Bool == false && changed.json["version"] as? Int == 2)
            #expect(changed.json["secret"] == nil)
            let stale = try await api.send(
                .patch, "\(base)/\(id)", token: ann, json: #"{"enabled":true}"#, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)

            let rotated = try await api.send(.post, "\(base)/\(id)/rotate-secret", token: ann)
            #expect(rotated.status == .ok)
            let newSecret = try #require(rotated.string("secret"))
            #expect(newSecret.hasPrefix("whsec_") && newSecret != secret)
            #expect(rotated.json["version"] as? Int == 3)

            #expect(try await api.send(.delete, "\(base)/\(id)", token: ann).status == .noContent)
            #expect(try await api.send(.get, "\(base)/\(id)", token: ann).status == .notFound)
        }
    }

    @Test("an admin or owner manages webhooks; a member is 403; an outsider 404", arguments: StoreKind.available)
    func access(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (ann, _) = try await api.signUp("ann")
            let (bob, bobID) = try await api.signUp("bob")
            let (cid, _) = try await api.signUp("cid")
            let workspace = try await api.workspace("W", token: ann)
            try await api.send(
                .post, "/api/v1/workspaces/\(workspace)/members", token: ann, json: #"{"email":"bob@example.com"}"#)
            let base = "/api/v1/workspaces/\(workspace)/webhooks"
            let body = #"{"url":"https://hooks.example.com/in","events":["*"]}"#
            #expect(try await api.send(.post, base, token: bob, json: body).status == .forbidden)
            #expect(try await api.send(.get, base, token: bob).status == .forbidden)
            #expect(try await api.send(.get, base, token: cid).status == .notFound)
            #expect(try await api.send(.post, base, token: cid, json: body).status == .notFound)
            try await api.send(
                .patch, "/api/v1/workspaces/\(workspace)/members/\(bobID)", token: ann, json: #"{"role":"admin"}"#)
            let created = try await api.send(.post, base, token: bob, json: body)
            #expect(created.status == .created)
            let other = try await api.workspace("X", token: cid)
            let id = try #require(created.string("id"))
            #expect(
                try await api.send(.get, "/api/v1/workspaces/\(other)/webhooks/\(id)", token: cid).status == .notFound,
                "a webhook is only found under its own workspace")
        }
    }

    @Test(
        "the delivery log, redeliver and ping: an admin or owner may; a member is 403; an outsider 404",
        arguments: StoreKind.available)
    func deliveryAccess(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (ann, _) = try await api.signUp("ann")
            let (bob, _) = try await api.signUp("bob")
            let (cid, _) = try await api.signUp("cid")
            let workspace = try await api.workspace("W", token: ann)
            try await api.send(
                .post, "/api/v1/workspaces/\(workspace)/members", token: ann, json: #"{"email":"bob@example.com"}"#)
            let hook = try #require(
                try await api.send(
                    .post, "/api/v1/workspaces/\(workspace)/webhooks", token: ann,
                    json: #"{"url":"https://hooks.example.com/in","events":["*"]}"#
                ).string("id"))
            let base = "/api/v1/workspaces/\(workspace)/webhooks/\(hook)"
            let ping = try await api.send(.post, "\(base)/ping", token: ann)
            #expect(ping.status == .accepted)
            let delivery = try #require(ping.string("id"))
            let routes: [(HTTPRequest.Method, String, HTTPResponse.Status)] = [
                (.post, "\(base)/ping", .accepted), (.get, "\(base)/deliveries", .ok),
                (.get, "\(base)/deliveries/\(delivery)", .ok),
                (.post, "\(base)/deliveries/\(delivery)/redeliver", .accepted),
            ]
            for (method, path, allowed) in routes {
                #expect(try await api.send(method, path, token: bob).status == .forbidden, "\(method) \(path)")
                #expect(try await api.send(method, path, token: cid).status == .notFound, "\(method) \(path)")
                #expect(try await api.send(method, path, token: ann).status == allowed, "\(method) \(path)")
            }
        }
    }

    @Test(
        "a change answers 404 and 403 before 412, and 412 before 422, with a new URL or without; every bad field is named",
        arguments: StoreKind.available)
    func changeOrder(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (ann, _) = try await api.signUp("ann")
            let (bob, _) = try await api.signUp("bob")
            let (cid, _) = try await api.signUp("cid")
            let workspace = try await api.workspace("W", token: ann)
            try await api.send(
                .post, "/api/v1/workspaces/\(workspace)/members", token: ann, json: #"{"email":"bob@example.com"}"#)
            let created = try await api.send(
                .post, "/api/v1/workspaces/\(workspace)/webhooks", token: ann,
                json: #"{"url":"https://hooks.example.com/in","events":["*"]}"#)
            let hook = try #require(created.string("id"))
            let path = "/api/v1/workspaces/\(workspace)/webhooks/\(hook)"
            let missing = "/api/v1/workspaces/\(workspace)/webhooks/00000000-0000-4000-8000-000000000000"
            let badEvents = #"{"events":["task_exploded"]}"#
            let badBoth = #"{"events":[],"url":"http://hooks.example.com/"}"#
            for body in [badEvents, badBoth] {
                #expect(try await api.send(.patch, missing, token: ann, json: body).status == .notFound)
                #expect(try await api.send(.patch, path, token: cid, json: body).status == .notFound)
                #expect(try await api.send(.patch, path, token: bob, json: body).status == .forbidden)
                let stale = try await api.send(.patch, path, token: ann, json: body, headers: [.ifMatch: "\"99\""])
                #expect(stale.status == .preconditionFailed, "\(body)")
            }
            let both = try await api.send(.patch, path, token: ann, json: badBoth, headers: [.ifMatch: "\"1\""])
            #expect(both.status == .unprocessableContent && both.errorFields.sorted() == ["events", "url"])

            let described = try await api.send(
                .patch, path, token: ann, json: #"{"description":"ours"}"#, headers: [.ifMatch: "\"1\""])
            #expect(described.status == .ok && described.string("description") == "ours")
            #expect(described.headers[.eTag] == "\"2\"")
            let moved = try await api.send(
                .patch, path, token: ann, json: #"{"url":"https://hooks.example.com/other"}"#,
                headers: [.ifMatch: "\"2\""])
            #expect(moved.status == .ok && moved.string("url") == "https://hooks.example.com/other")
            let read = try await api.send(.get, path, token: ann)
            #expect(read.string("description") == "ours" && read.string("url") == "https://hooks.example.com/other")
            #expect(read.headers[.eTag] == "\"3\"")
        }
    }

    @Test("bad fields are 422 naming them, and nothing is stored")
    func refusals() async throws {
        try await APIHarness.make().run { api in
            let (ann, _) = try await api.signUp("ann")
            let workspace = try await api.workspace("W", token: ann)
            let foreign = try await api.workspace("X", token: ann)
            let project = try #require(
                try await api.send(
                    .post, "/api/v1/projects", token: ann, json: #"{"workspace_id":"\#(foreign)","name":"P"}"#
                ).string("id"))
            let base = "/api/v1/workspaces/\(workspace)/webhooks"
            let cases: [(String, [String])] = [
                (#"{"url":"http://hooks.example.com/","events":["*"]}"#, ["url"]),
                (#"{"url":"https://inside.example.com/","events":["*"]}"#, ["url"]),
                (#"{"url":"https://hooks.example.com/","events":[]}"#, ["events"]),
                (#"{"url":"https://hooks.example.com/","events":["*","task_created"]}"#, ["events"]),
                (#"{"url":"https://hooks.example.com/","events":["task_exploded"]}"#, ["events"]),
                (#"{"events":["*"]}"#, ["url"]),
                (#"{"url":"https://hooks.example.com/","events":["*"],"project_id":"\#(project)"}"#, ["project_id"]),
                (#"{"url":5,"events":"*"}"#, ["events", "url"]),
            ]
            for (json, fields) in cases {
                let answer = try await api.send(.post, base, token: ann, json: json)
                #expect(answer.status == .unprocessableContent, "\(json)")
                #expect(answer.errorFields.sorted() == fields, "\(json)")
            }
            #expect(try await api.send(.get, base, token: ann).items.isEmpty)
        }
    }
}
