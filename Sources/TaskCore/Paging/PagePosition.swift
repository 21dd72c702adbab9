import Foundation

/// Where a row stands in a sorted list: its sort value and its id, which breaks ties. Keyset paging asks a
/// store for the rows strictly after a position.
public struct PagePosition: Sendable, Equatable, Codable {
    /// The row's sort value.
    public var value: SortValue
    /// The row's id.
    public var id: UUID

    /// Creates a position.
    public init(value: SortValue, id: UUID) {
        self.value = value
        self.id = id
    }
}

/// A sort value: an instant, a number, or nothing (a task without a due date).
public enum SortValue: Sendable, Equatable, Codable {
    case null
    case date(Date)
    case int(Int)

    private enum CodingKeys: String, CodingKey { case date = "d", int = "n" }

    /// Reads a cursor's sort value: `d` for an instant in milliseconds, `n` for a number, neither for nothing.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let milliseconds = try container.decodeIfPresent(Int64.self, forKey: .date) {
            self = .date(Date(millisecondsSince1970: milliseconds))
        } else if let number = try container.decodeIfPresent(Int.self, forKey: .int) {
            self = .int(number)
        } else {
            self = .null
        }
    }

    /// Writes the sort value as `decode` reads it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .null: break
        case .date(let date): try container.encode(date.millisecondsSince1970, forKey: .date)
        case .int(let number): try container.encode(number, forKey: .int)
        }
    }
}
