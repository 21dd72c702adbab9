/// The fields of a new project as a client sent them.
public struct NewProject: Sendable {
    /// The workspace to create it in.
    public var workspaceID: WorkspaceID
    /// Its name.
    public var name: String
    /// Its description (empty when omitted).
    public var description: String?
    /// Who sees it (`workspace` when omitted).
    public var visibility: ProjectVisibility?

    /// Creates the input.
    public init(
        workspaceID: WorkspaceID, name: String, description: String? = nil, visibility: ProjectVisibility? = nil
    ) {
        self.workspaceID = workspaceID
        self.name = name
        self.description = description
        self.visibility = visibility
    }
}

/// A partial update of a project; `description: .set(nil)` clears the description.
public struct ProjectPatch: Sendable {
    /// A new name.
    public var name: FieldPatch<String> = .unchanged
    /// A new description, or `nil` to clear it.
    public var description: FieldPatch<String?> = .unchanged
    /// A new visibility.
    public var visibility: FieldPatch<ProjectVisibility> = .unchanged
    /// Archives (`true`) or restores (`false`) the project.
    public var isArchived: FieldPatch<Bool> = .unchanged

    /// Creates a patch; every field is left unchanged unless given.
    public init(
        name: FieldPatch<String> = .unchanged, description: FieldPatch<String?> = .unchanged,
        visibility: FieldPatch<ProjectVisibility> = .unchanged, isArchived: FieldPatch<Bool> = .unchanged
    ) {
        self.name = name
        self.description = description
        self.visibility = visibility
        self.isArchived = isArchived
    }
}

extension NewProject {
    /// What is wrong with a new project's text fields, found without a store (see `NewTask.fieldErrors`); a field
    /// left `nil` is not checked.
    public static func fieldErrors(name: String?, description: String?) -> [FieldError] {
        var errors = FieldErrors()
        if let name { _ = TextRules.trimmed(name, field: "name", length: FieldLimits.name, into: &errors) }
        _ = TextRules.trimmed(description ?? "", field: "description", length: FieldLimits.description, into: &errors)
        return errors.all
    }
}

extension ProjectPatch {
    /// What is wrong with the patch's text fields, found without a store (see `NewTask.fieldErrors`).
    public var fieldErrors: [FieldError] {
        var errors = FieldErrors()
        if case .set(let name) = name {
            _ = TextRules.trimmed(name, field: "name", length: FieldLimits.name, into: &errors)
        }
        if case .set(let description) = description {
            _ = TextRules.trimmed(
                description ?? "", field: "description", length: FieldLimits.description, into: &errors)
        }
        return errors.all
    }
}
