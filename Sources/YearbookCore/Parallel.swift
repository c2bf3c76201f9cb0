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
}
