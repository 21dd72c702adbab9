import HTTPTypes

extension HTTPFields {
    /// The value of the `name` field as `self[name]` gives it (a repeated field's values joined), without the joined
    /// string `self[name]` builds even for a field sent once: this runs for `Authorization` on every request.
    func value(of name: HTTPField.Name) -> String? {
        var found: String?
        for field in self where field.name == name {
            guard found == nil else { return self[name] }
            found = field.value
        }
        return found
    }
}
