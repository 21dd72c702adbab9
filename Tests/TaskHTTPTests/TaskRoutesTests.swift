import Foundation
import HTTPTypes
import TaskStore
import TaskTestSupport
import Testing

@Suite("HTTP: workspaces, projects, tasks, comments, activity")
struct TaskRoutesTests {
    @Test(
        "reading or listing tasks checks the access token's user in the same read: 401 for a disabled, deleted or signed-out user, before any 404 or 422",
        arguments: StoreKind.available)
    func readingChecksTheTokensUser(_ kind: StoreKind) async throws {
        let harness = try await APIHarness.make(kind)
        try await harness.run { api in
            let (annToken, _) = try await api.signUp("ann")
            let (bobToken, bobID) = try await api.signUp("bob")
            let (carlToken, _) = try await api.signUp("carl")
            let (danToken, danID) = try await api.signUp("dan")
            let created = try await api.send(.post, "/api/v1/tasks", token: annToken, json: #"{"title":"Ann's"}"#)
            let id = try #require(created.string("id"))
            let missing = "/api/v1/tasks/00000000-0000-4000-8000-000000000000"
            let workspace = try await api.workspace("W", token: annToken)
            let project = try #require(
                try await api.send(
                    .post, "/api/v1/projects", token: annToken, json: #"{"workspace_id":"\#(workspace)","name":"P"}"#
                ).string("id"))
            _ = try await api.send(
                .post, "/api/v1/tasks", token: annToken, json: #"{"title":"In P","project_id":"\#(project)"}"#)
            let lists = [
                "/api/v1/tasks?project_id=\(project)", "/api/v1/tasks",
                "/api/v1/tasks?project_id=\(project)&sort=bogus",
                "/api/v1/tasks?project_id=\(project)&cursor=zzz", "/api/v1/tasks?limit=abc",
                "/api/v1/tasks?project_id=00000000-0000-4000-8000-000000000000",
            ]
            var annLists: [APIResponse] = []
            for path in lists { annLists.append(try await api.send(.get, path, token: annToken)) }
            #expect(
                annLists.map(\.status) == [
                    .ok, .ok, .unprocessableContent, .unprocessableContent, .unprocessableContent, .ok,
                ])
            #expect(annLists[0].items.count == 1 && annLists[5].items.isEmpty)
            let bobList = try await api.send(.get, lists[0], token: bobToken)
            #expect(bobList.status == .ok && bobList.items.isEmpty, "a project Bob cannot see lists nothing")
            #expect(try await api.send(.get, "/api/v1/tasks/\(id)", token: annToken).status == .ok)
            #expect(try await api.send(.get, "/api/v1/tasks/\(id)", token: bobToken).status == .notFound)
            #expect(try await api.send(.get, missing, token: annToken).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/tasks/not-a-uuid", token: annToken).status == .notFound)

            _ = try await harness.services.admin.promote(email: "ann@example.com")
            let disabled = try await api.send(
                .patch, "/api/v1/users/\(bobID)", token: annToken, json: #"{"disabled":true}"#)
            #expect(disabled.status == .ok)
            #expect(try await api.send(.delete, "/api/v1/users/\(danID)", token: annToken).status == .noContent)
            let changed = try await api.send(
                .post, "/api/v1/users/me/password", token: carlToken,
                json: #"{"current_password":"password-carl","new_password":"password-new"}"#)
            #expect(changed.status == .noContent)
            for (who, token) in [("disabled", bobToken), ("signed out", carlToken), ("deleted", danToken)] {
                for path in ["/api/v1/tasks/\(id)", missing, "/api/v1/tasks/not-a-uuid"] + lists {
                    let answer = try await api.send(.get, path, token: token)
                    #expect(answer.status == .unauthorized, "\(who): \(path)")
                    #expect(answer.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "\(who): \(path)")
                }
            }
            #expect(try await api.send(.get, "/api/v1/tasks/\(id)", token: "not.a.token").status == .unauthorized)
            #expect(try await api.send(.get, "/api/v1/tasks/\(id)").status == .unauthorized)
        }
    }

    @Test("a read whose credential fails without the store takes no store transaction; a good one takes one")
    func badCredentialsTakeNoStoreConnection() async throws {
        let store = TransactionCountingStore(MemoryStore())
        try await APIHarness.make(store: store).run { api in
            let (token, _) = try await api.signUp("ann")
            let id = try #require(
                try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title":"T"}"#).string("id"))
            let malformedPersonalToken = "tdp_" + String(repeating: "A", count: 36)
            for bad in ["not.a.token", malformedPersonalToken] {
                let before = store.count
                let answer = try await api.send(.get, "/api/v1/tasks/\(id)", token: bad)
                #expect(answer.status == .unauthorized)
                #expect(store.count == before, "\(bad): no transaction for a credential refused without the store")
            }
            let before = store.count
            #expect(try await api.send(.get, "/api/v1/tasks/\(id)", token: token).status == .ok)
            #expect(try await api.send(.get, "/api/v1/tasks?limit=5", token: token).status == .ok)
            #expect(store.count - before == 2, "one transaction per read, the caller's look-up joined to it")
            // An event feed may wait, so it is not held in one transaction: the caller's look-up and the feed's
            // read take one each.
            let workspace = try await api.workspace("W", token: token)
            let feedBefore = store.count
            #expect(try await api.send(.get, "/api/v1/workspaces/\(workspace)/events", token: token).status == .ok)
            #expect(store.count - feedBefore >= 2)
        }
    }

    @Test(
        "a task's life: create, read with ETag, stale If-Match 412, patch, put, complete, subtasks, comments, activity, delete",
        arguments: StoreKind.available)
    func taskLifecycle(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (token, userID) = try await api.signUp("ann")
            let created = try await api.send(
                .post, "/api/v1/tasks", token: token,
                json:
                    #"{"title":" Write ","due_date":"2026-12-01T12:00:00+01:00","tags":["a","a","b"],"priority":"high"}"#
            )
            #expect(created.status == .created && created.headers[.eTag] == "\"1\"")
            let id = try #require(created.string("id"))
            #expect(created.headers[.location] == "/api/v1/tasks/\(id)")
            #expect(created.string("title") == "Write" && created.string("due_date") == "2026-12-01T11:00:00.000Z")
            #expect(created.json["tags"] as? [String] == ["a", "b"] && created.string("owner_id") == userID)
            #expect(created.json["completed"] as? Bool == false && created.json["completed_at"] is NSNull)

            let read = try await api.send(.get, "/api/v1/tasks/\(id)", token: token)
            #expect(read.status == .ok && read.headers[.eTag] == "\"1\"")

            let patched = try await api.send(
                .patch, "/api/v1/tasks/\(id)", token: token, json: #"{"title":"Write more","due_date":null}"#,
                headers: [.ifMatch: "\"1\""])
            #expect(patched.status == .ok && patched.headers[.eTag] == "\"2\"" && patched.json["due_date"] is NSNull)
            let stale = try await api.send(
                .patch, "/api/v1/tasks/\(id)", token: token, json: #"{"title":"Lost"}"#, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed && stale.string("code") == "version_mismatch")
            #expect(try await api.send(.get, "/api/v1/tasks/\(id)", token: token).string("title") == "Write more")

            let replaced = try await api.send(.put, "/api/v1/tasks/\(id)", token: token, json: #"{"title":"Replaced"}"#)
            #expect(
                replaced.status == .ok && replaced.string("priority") == "none"
                    && (replaced.json["tags"] as? [String])?.isEmpty == true)

            let completed = try await api.send(.patch, "/api/v1/tasks/\(id)/complete", token: token)
            #expect(
                completed.string("status") == "done" && completed.json["completed"] as? Bool == true
                    && completed.string("completed_at") != nil)
            let reopened = try await api.send(
                .patch, "/api/v1/tasks/\(id)/complete", token: token, json: #"{"completed":false}"#)
            #expect(reopened.string("status") == "todo" && reopened.json["completed_at"] is NSNull)

            let child = try await api.send(
                .post, "/api/v1/tasks", token: token, json: #"{"title":"Child","parent_id":"\#(id)"}"#)
            #expect(child.status == .created && child.string("parent_id") == id)
            let subtasks = try await api.send(.get, "/api/v1/tasks/\(id)/subtasks", token: token)
            #expect(subtasks.items.count == 1 && subtasks.json["next_cursor"] is NSNull)

            let comment = try await api.send(
                .post, "/api/v1/tasks/\(id)/comments", token: token, json: #"{"body":"Nice"}"#)
            let commentID = try #require(comment.string("id"))
            #expect(comment.status == .created && comment.headers[.location] == "/api/v1/comments/\(commentID)")
            let edited = try await api.send(
                .patch, "/api/v1/comments/\(commentID)", token: token, json: #"{"body":"Nicer"}"#)
            #expect(edited.json["edited"] as? Bool == true)
            #expect(try await api.send(.get, "/api/v1/tasks/\(id)/comments", token: token).items.count == 1)
            #expect(try await api.send(.delete, "/api/v1/comments/\(commentID)", token: token).status == .noContent)

            let activity = try await api.send(.get, "/api/v1/tasks/\(id)/activity", token: token)
            let kinds = activity.items.compactMap { $0["kind"] as? String }
            #expect(
                kinds == [
                    "task_created", "task_updated", "task_updated", "task_completed", "task_reopened", "comment_added",
                    "comment_edited", "comment_deleted",
                ])
            let firstUpdate = activity.items[1]["changes"] as? [String: Any]
            #expect((firstUpdate?["title"] as? [String: Any])?["to"] as? String == "Write more")

            let staleDelete = try await api.send(
                .delete, "/api/v1/tasks/\(id)", token: token, headers: [.ifMatch: "\"1\""])
            #expect(staleDelete.status == .preconditionFailed)
            let deleted = try await api.send(.delete, "/api/v1/tasks/\(id)", token: token)
            #expect(deleted.status == .noContent && deleted.body.isEmpty)
            #expect(try await api.send(.get, "/api/v1/tasks/\(id)", token: token).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/tasks/\(id)/activity", token: token).status == .notFound)
        }
    }

    @Test(
        "workspaces and projects: roles decide; hidden things are 404, forbidden ones 403; archived 409",
        arguments: StoreKind.available)
    func workspacesAndProjects(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (ann, annID) = try await api.signUp("ann")
            let (gus, gusID) = try await api.signUp("gus")
            let (eve, _) = try await api.signUp("eve")
            let workspace = try await api.send(.post, "/api/v1/workspaces", token: ann, json: #"{"name":"Acme"}"#)
            let workspaceID = try #require(workspace.string("id"))
            #expect(workspace.status == .created && workspace.string("role") == "owner")
            #expect(workspace.headers[.location] == "/api/v1/workspaces/\(workspaceID)")

            let added = try await api.send(
                .post, "/api/v1/workspaces/\(workspaceID)/members", token: ann,
                json: #"{"email":"gus@example.com","role":"guest"}"#)
            #expect(added.status == .created && added.string("role") == "guest")
            #expect(added.headers[.location] == "/api/v1/workspaces/\(workspaceID)/members/\(gusID)")
            let again = try await api.send(
                .post, "/api/v1/workspaces/\(workspaceID)/members", token: ann, json: #"{"email":"gus@example.com"}"#)
            #expect(again.status == .conflict)
            let unknown = try await api.send(
                .post, "/api/v1/workspaces/\(workspaceID)/members", token: ann, json: #"{"email":"zed@example.com"}"#)
            #expect(unknown.status == .notFound)

            #expect(try await api.send(.get, "/api/v1/workspaces/\(workspaceID)", token: eve).status == .notFound)
            #expect(
                try await api.send(.get, "/api/v1/workspaces/\(workspaceID)/members", token: gus).status == .forbidden)
            #expect(
                try await api.send(.patch, "/api/v1/workspaces/\(workspaceID)", token: gus, json: #"{"name":"X"}"#)
                    .status == .forbidden)
            let lastOwner = try await api.send(
                .patch, "/api/v1/workspaces/\(workspaceID)/members/\(annID)", token: ann, json: #"{"role":"admin"}"#)
            #expect(lastOwner.status == .conflict && lastOwner.string("code") == "last_owner")

            let project = try await api.send(
                .post, "/api/v1/projects", token: ann,
                json: #"{"workspace_id":"\#(workspaceID)","name":"Launch","visibility":"private"}"#)
            let projectID = try #require(project.string("id"))
            #expect(project.status == .created && project.headers[.location] == "/api/v1/projects/\(projectID)")
            let foreign = try await api.send(
                .post, "/api/v1/projects", token: eve, json: #"{"workspace_id":"\#(workspaceID)","name":"X"}"#)
            #expect(foreign.status == .unprocessableContent && foreign.errorFields == ["workspace_id"])
            #expect(try await api.send(.get, "/api/v1/projects/\(projectID)", token: gus).status == .notFound)
            let member = try await api.send(
                .post, "/api/v1/projects/\(projectID)/members", token: ann,
                json: #"{"user_id":"\#(gusID)","role":"viewer"}"#)
            #expect(
                member.status == .created
                    && member.headers[.location] == "/api/v1/projects/\(projectID)/members/\(gusID)")
            #expect(try await api.send(.get, "/api/v1/projects/\(projectID)", token: gus).status == .ok)
            let viewerTask = try await api.send(
                .post, "/api/v1/tasks", token: gus, json: #"{"title":"x","project_id":"\#(projectID)"}"#)
            #expect(viewerTask.status == .forbidden && viewerTask.string("code") == "forbidden")
            let hiddenProject = try await api.send(
                .post, "/api/v1/tasks", token: eve, json: #"{"title":"x","project_id":"\#(projectID)"}"#)
            #expect(hiddenProject.status == .unprocessableContent && hiddenProject.errorFields == ["project_id"])

            let task = try await api.send(
                .post, "/api/v1/tasks", token: ann, json: #"{"title":"T","project_id":"\#(projectID)"}"#)
            let taskID = try #require(task.string("id"))
            let listed = try await api.send(.get, "/api/v1/tasks?project_id=\(projectID)", token: gus)
            #expect(listed.items.count == 1)
            let archived = try await api.send(
                .patch, "/api/v1/projects/\(projectID)", token: ann, json: #"{"archived":true}"#)
            #expect(archived.json["archived"] as? Bool == true)
            let blocked = try await api.send(.patch, "/api/v1/tasks/\(taskID)", token: ann, json: #"{"title":"New"}"#)
            #expect(blocked.status == .conflict && blocked.string("code") == "project_archived")
            let projects = try await api.send(
                .get, "/api/v1/projects?workspace_id=\(workspaceID)&archived=true", token: ann)
            #expect(projects.items.count == 1)
            #expect(try await api.send(.delete, "/api/v1/projects/\(projectID)", token: ann).status == .noContent)
            #expect(try await api.send(.delete, "/api/v1/workspaces/\(workspaceID)", token: gus).status == .forbidden)
            #expect(try await api.send(.delete, "/api/v1/workspaces/\(workspaceID)", token: ann).status == .noContent)
        }
    }

    @Test("list filters, sorting and cursor pages over HTTP")
    func listing() async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("ann")
            for index in 0..<5 {
                _ = try await api.send(
                    .post, "/api/v1/tasks", token: token,
                    json:
                        #"{"title":"Task \#(index) launch","priority":"\#(["low", "high", "none", "urgent", "medium"][index])"}"#
                )
            }
            let first = try await api.send(.get, "/api/v1/tasks?sort=-priority&limit=2", token: token)
            #expect(first.items.compactMap { $0["priority"] as? String } == ["urgent", "high"])
            let cursor =
                try #require(first.string("next_cursor")).addingPercentEncoding(withAllowedCharacters: .alphanumerics)
                ?? ""
            let second = try await api.send(.get, "/api/v1/tasks?sort=-priority&limit=2&cursor=\(cursor)", token: token)
            #expect(second.items.compactMap { $0["priority"] as? String } == ["medium", "low"])
            let otherSort = try await api.send(.get, "/api/v1/tasks?sort=priority&cursor=\(cursor)", token: token)
            #expect(otherSort.status == .unprocessableContent && otherSort.errorFields == ["cursor"])
            let search = try await api.send(.get, "/api/v1/tasks?q=TASK%203", token: token)
            #expect(search.items.count == 1)
            let mine = try await api.send(.get, "/api/v1/tasks?assignee_id=me", token: token)
            #expect(mine.status == .ok && mine.items.isEmpty)
        }
    }

    @Test("compatibility routes: the caller's own path works, another user's is 403")
    func compatibility() async throws {
        try await APIHarness.make().run { api in
            let (token, userID) = try await api.signUp("ann")
            let (_, otherID) = try await api.signUp("bob")
            let created = try await api.send(
                .post, "/api/\(userID)/tasks", token: token, json: #"{"title":"Old style"}"#)
            #expect(created.status == .created)
            let id = try #require(created.string("id"))
            #expect(try await api.send(.get, "/api/\(userID)/tasks", token: token).items.count == 1)
            #expect(try await api.send(.get, "/api/\(userID)/tasks/\(id)", token: token).status == .ok)
            let completed = try await api.send(.patch, "/api/\(userID)/tasks/\(id)/complete", token: token)
            #expect(completed.string("status") == "done")
            #expect(try await api.send(.get, "/api/\(otherID)/tasks", token: token).status == .forbidden)
            #expect(
                try await api.send(.patch, "/api/\(otherID)/tasks/\(id)/complete", token: token).status == .forbidden)
            #expect(try await api.send(.delete, "/api/\(userID)/tasks/\(id)", token: token).status == .noContent)
        }
    }
}
