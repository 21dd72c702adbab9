/// Deletes expired rows in batches, each in a transaction of its own, so that no statement runs into the
/// statement timeout however large the backlog, and no transaction holds locks for long.
enum BatchedDeletion {
    /// Rows per batch.
    static let batchSize = 5_000
    /// Batches per run at most (25 million rows); the rest waits for the next run.
    static let maximumBatches = 5_000

    /// Runs `deleteBatch` (which deletes at most `batchSize` rows and says how many it deleted) until a batch
    /// comes back short.
    /// - Returns: how many batches ran.
    @discardableResult
    static func run(_ deleteBatch: () async throws -> Int) async throws -> Int {
        for batch in 1...maximumBatches {
            guard try await deleteBatch() >= batchSize else { return batch }
        }
        return maximumBatches
    }
}
