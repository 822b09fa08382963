import Foundation

/// Runs long blocking work (a backup copy, seconds of disk I/O) on a thread of its own, so that it
/// holds neither an event loop nor one of the Swift concurrency pool's few threads.
enum BlockingWork {
    static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = name
            thread.start()
        }
    }
}
