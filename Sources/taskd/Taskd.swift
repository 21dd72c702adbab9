import ArgumentParser
import ServiceLifecycle

@main
struct Taskd: AsyncParsableCommand {
    func run() async throws {}
}
