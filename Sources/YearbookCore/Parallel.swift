import Dispatch
import Foundation

public enum Parallel {
    /// `body(0) ..< body(count)` computed on all cores, returned in index order
    /// (so that what is made in parallel is joined deterministically).
    public static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let result = body(index)
            lock.lock()
            results[index] = result
            lock.unlock()
        }
        return results.map { $0! }
    }

    /// A value computed on another thread; `value` waits for it.
    public final class Future<Value>: @unchecked Sendable {
        private let group = DispatchGroup()
        private var result: Value?

        fileprivate init(_ body: @escaping @Sendable () -> Value) {
            DispatchQueue.global().async(group: group) { self.result = body() }
        }

        public var value: Value {
            group.wait()
            return result!
        }

        public func wait() { group.wait() }
    }

    /// Work started now on another thread, for what needs it done to `wait` for.
    public typealias Background = Future<Void>

    /// Starts `body` beside the caller's work (the target cache written while the outputs are made).
    public static func background(_ body: @escaping @Sendable () -> Void) -> Background { Future(body) }

    /// Starts computing `body` beside the caller's work (a chapter's rebuild reads the kept results while it reads the definition).
    public static func future<Value>(_ body: @escaping @Sendable () -> Value) -> Future<Value> { Future(body) }
}
