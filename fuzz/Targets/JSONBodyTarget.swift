import Foundation
import TaskCore

/// Fuzzes the body decoders: strict JSON, then every body reader of every route, as the routes run them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONBody(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let body = try? JSONBody.parse(bytes) else { return 0 }
    _ = try? TaskRequests.newTask(body)
    _ = try? TaskRequests.patch(body, replacing: false)
    _ = try? TaskRequests.patch(body, replacing: true)
    _ = try? TaskRequests.completion(body)
    if let input = try? TaskRequests.newTask(body) { _ = input.fieldErrors }
    _ = try? AuthRequests.registration(body, acceptsUsername: true)
    _ = try? AuthRequests.credentials(body)
    _ = try? AuthRequests.refreshToken(body)
    _ = try? AccountRequests.profileChange(body)
    _ = try? AccountRequests.passwordChange(body)
    _ = try? AccountRequests.userChange(body)
    _ = try? WorkspaceRequests.newWorkspaceName(body)
    _ = try? WorkspaceRequests.workspaceName(body)
    _ = try? WorkspaceRequests.newMember(body)
    _ = try? WorkspaceRequests.role(body, as: WorkspaceRole.self)
    _ = try? WorkspaceRequests.newProject(body)
    _ = try? WorkspaceRequests.projectPatch(body)
    _ = try? WorkspaceRequests.newProjectMember(body)
    _ = try? WorkspaceRequests.role(body, as: ProjectRole.self)
    _ = try? CommentRequests.body(body)
    _ = try? WebhookRequests.newWebhook(body)
    _ = try? WebhookRequests.patch(body)
    _ = try? PersonalTokenRequests.newToken(body)
    return 0
}
