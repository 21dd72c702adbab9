/// One field of a partial update: left as it is, or set to a value. For a field that can be cleared, `Value`
/// is optional and `.set(nil)` clears it (JSON `null`).
public enum FieldPatch<Value: Sendable>: Sendable {
    case unchanged
    case set(Value)

    /// The new value, or `current` when the field is left unchanged.
    public func applied(to current: Value) -> Value {
        switch self {
        case .unchanged: current
        case .set(let value): value
        }
    }

    /// Whether the patch sets the field.
    public var isSet: Bool {
        if case .set = self { return true }
        return false
    }

    /// Transforms the value a patch sets.
    public func map<Other: Sendable>(_ transform: (Value) throws -> Other) rethrows -> FieldPatch<Other> {
        switch self {
        case .unchanged: .unchanged
        case .set(let value): .set(try transform(value))
        }
    }
}

extension FieldPatch: Equatable where Value: Equatable {}
