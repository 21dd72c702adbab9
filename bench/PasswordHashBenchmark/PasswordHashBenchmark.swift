import Foundation
import TaskAuth

/// Measures the cost of one bcrypt hash at the default cost and whether concurrent logins use every core.
@main
struct PasswordHashBenchmark {
    static func main() async throws {
        let cost =
            Int(ProcessInfo.processInfo.environment["TASKD_BCRYPT_COST"] ?? "") ?? CryptPasswordHasher.defaultCost
        let hasher = try CryptPasswordHasher(cost: cost)
        let password = "correct horse battery staple"
        let hash = try await hasher.hash(password)
        let clock = ContinuousClock()

        var single: [Duration] = []
        for _ in 0..<5 {
            single.append(await clock.measure { _ = await hasher.verify(password, against: hash) })
        }
        let best = single.min() ?? .zero
        print("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
        print(
            "one verify at cost \(cost): best \(milliseconds(best)) ms, median \(milliseconds(single.sorted()[2])) ms")

        let logins = 8
        let together = await clock.measure {
            await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<logins { group.addTask { await hasher.verify(password, against: hash) } }
                for await _ in group {}
            }
        }
        let sequential = best * logins
        print(
            "\(logins) concurrent verifies: \(milliseconds(together)) ms (one after another: \(milliseconds(sequential)) ms)"
        )
        print(String(format: "parallel speed-up: %.2fx", sequential / together))
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.1f", duration.seconds * 1000)
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
