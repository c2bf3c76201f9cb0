import Dispatch
import Foundation
import YearbookCore

/// A target's content key: SHA-256 over exactly what the target reads (its
/// own parts, such as an input file's bytes or the part of the definition it
/// uses, and the keys of the targets it reads). Two builds that give a target
/// the same key give it the same result.
public struct TargetKey: Hashable, Sendable, CustomStringConvertible {
    public var hex: String
    public init(hex: String) { self.hex = hex }
    public var description: String { String(hex.prefix(12)) }
}

/// One of a target's own parts: a label a person can read ("input
/// 2019/exports/430202_dibao.csv.gz", "definition content.elderly-care") and
/// the digest of what it is.
public struct KeyPart: Hashable, Sendable {
    public var label: String
    public var digest: String

    public init(_ label: String, digest: String) {
        self.label = label
        self.digest = digest
    }

    /// A part made of bytes (a definition excerpt, a setting).
    public init(_ label: String, bytes: [UInt8]) {
        self.init(label, digest: SHA256.hex(bytes))
    }

    public init(_ label: String, text: String) {
        self.init(label, bytes: Array(text.utf8))
    }
}

/// What a target makes, said when it is declared (never read back from its name).
public enum TargetKind: Sendable, Hashable {
    /// One input file read: its records through extract and normalize.
    case extraction
    /// A stage's result over the whole build (the registry, revisions, aggregation, …).
    case stage
    /// One chapter's pages, charts and tables as data.
    case chapter
    /// One of the internal reports.
    case report
    /// Any other file of the edition.
    case output
}

/// A typed handle on a target's result: `results[ref]` is a `Value`.
public struct TargetRef<Value: Sendable>: Hashable, Sendable {
    public var name: String
    public var kind: TargetKind
    /// How the target cache keeps the result for the next build; nil: not kept (an extraction is kept
    /// by the cache's own pack).
    public var caching: TargetCaching?

    public init(_ name: String, kind: TargetKind = .stage, caching: TargetCaching? = nil) {
        self.name = name
        self.kind = kind
        self.caching = caching
    }

    public static func == (a: TargetRef, b: TargetRef) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// The results of the targets run (or taken from the cache) so far, by name.
public final class TargetResults: @unchecked Sendable {
    private var values: [String: any Sendable] = [:]
    private var ranNames: [String] = []
    private let lock = NSLock()

    /// The targets run (not taken from the cache), in the order they finished.
    public var ran: [String] { lock.withLock { ranNames } }

    public init() {}

    public subscript<Value>(ref: TargetRef<Value>) -> Value {
        lock.lock()
        defer { lock.unlock() }
        guard let value = values[ref.name] as? Value else {
            preconditionFailure("target \(ref.name) was read before it was made (a missing `reads`)")
        }
        return value
    }

    func value(_ name: String) -> (any Sendable)? { lock.withLock { values[name] } }

    public func has(_ name: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return values[name] != nil
    }

    func set(_ name: String, _ value: any Sendable, ran: Bool = false) {
        lock.lock()
        values[name] = value
        if ran { ranNames.append(name) }
        lock.unlock()
    }
}

/// A named step of the build: what it reads (other targets by name), its
/// own key parts, and how its result is made from the results it reads.
public struct Target: Sendable {
    public var name: String
    public var kind: TargetKind
    public var reads: [String]
    public var parts: [KeyPart]
    /// Larger first among targets that are ready together (a big input file
    /// started last would keep one core busy alone at the end).
    public var cost: Int
    public var caching: TargetCaching?
    public var run: @Sendable (TargetResults) throws -> any Sendable

    public init<Value: Sendable>(_ ref: TargetRef<Value>, reads: [String] = [], parts: [KeyPart] = [], cost: Int = 0,
                                 run: @escaping @Sendable (TargetResults) throws -> Value) {
        self.name = ref.name
        self.kind = ref.kind
        self.reads = reads
        self.parts = parts
        self.cost = cost
        self.caching = ref.caching
        self.run = { try run($0) }
    }
}

/// What the executor may take instead of running a target: a result kept
/// from an earlier build under the same key.
public protocol TargetStore: Sendable {
    func result(of target: Target, key: TargetKey) -> (any Sendable)?
    /// Whether `result` would give one, without reading it (it may still fail to, on a damaged file).
    func holds(_ target: Target, key: TargetKey) -> Bool
}

extension TargetStore {
    public func holds(_ target: Target, key: TargetKey) -> Bool { result(of: target, key: key) != nil }
}

/// A store that says which results `store` holds without reading them (`true` in their place):
/// for what a build would run, not for running it.
public struct HeldOnly: TargetStore {
    let store: TargetStore

    public init(_ store: TargetStore) { self.store = store }

    public func result(of target: Target, key: TargetKey) -> (any Sendable)? { store.holds(target, key: key) ? true : nil }
    public func holds(_ target: Target, key: TargetKey) -> Bool { store.holds(target, key: key) }
}

/// A small graph of named targets, in the manner of R `targets`: keys are
/// made from what each target reads; `run` makes the selected targets and
/// what they need, in parallel where they are independent.
public struct TargetGraph: Sendable {
    public private(set) var targets: [String: Target] = [:]
    /// Names in the order they were added (a target is added after what it reads).
    public private(set) var order: [String] = []
    public private(set) var keys: [String: TargetKey] = [:]

    public init() {}

    public mutating func add(_ target: Target) {
        add(target, key: key(of: target.name, reads: target.reads, parts: target.parts))
    }

    /// Adds a target whose key `key(of:reads:parts:)` already gave (a target that names a file after it).
    public mutating func add(_ target: Target, key: TargetKey) {
        precondition(targets[target.name] == nil, "target \(target.name) added twice")
        for read in target.reads { precondition(keys[read] != nil, "target \(target.name) reads \(read), added after it") }
        assert(key == self.key(of: target.name, reads: target.reads, parts: target.parts), "target \(target.name) added with another key")
        targets[target.name] = target
        order.append(target.name)
        keys[target.name] = key
    }

    /// The key a target of this name, reads and parts has (or will have once added:
    /// a target that names a file after its key knows it before it is made).
    public func key(of name: String, reads: [String], parts: [KeyPart]) -> TargetKey {
        // The lines hashed, in one buffer: a national build declares 11,000 targets, and the build result reads all of them.
        var text: [UInt8] = []
        text.reserveCapacity(64 + parts.count * 160 + reads.count * 140)
        text.append(contentsOf: "target ".utf8)
        text.append(contentsOf: name.utf8)
        text.append(contentsOf: "\ntool ".utf8)
        text.append(contentsOf: YearbookVersion.current.utf8)
        text.append(UInt8(ascii: "\n"))
        for part in parts {
            text.append(contentsOf: "part ".utf8)
            text.append(contentsOf: part.label.utf8)
            text.append(UInt8(ascii: " "))
            text.append(contentsOf: part.digest.utf8)
            text.append(UInt8(ascii: "\n"))
        }
        for read in reads {
            text.append(contentsOf: "reads ".utf8)
            text.append(contentsOf: read.utf8)
            text.append(UInt8(ascii: " "))
            text.append(contentsOf: keys[read]!.hex.utf8)
            text.append(UInt8(ascii: "\n"))
        }
        return TargetKey(hex: SHA256.hex(text))
    }

    public func key(_ name: String) -> TargetKey { keys[name]! }

    /// The kind of the target of this name (nil for a name never added).
    public func kind(of name: String) -> TargetKind? { targets[name]?.kind }

    /// The targets `selection` needs, with what they read, except below a
    /// target the store can give: its reads are not needed for it.
    public func needed(for selection: [String], store: TargetStore?) -> (run: [String], reused: [String: any Sendable]) {
        var refused: Set<String> = []
        while true {
            var seen: Set<String> = []
            var held: [String] = []
            var stack = selection
            while let name = stack.popLast() {
                guard seen.insert(name).inserted, let target = targets[name] else { continue }
                if let store, !refused.contains(name), store.holds(target, key: keys[name]!) {
                    held.append(name)
                    continue
                }
                stack.append(contentsOf: target.reads)
            }
            // Read side by side (a chapter's rebuild reads the aggregation and the findings); one that does
            // not read back is made instead, with what it reads.
            let values = Parallel.map(held.count) { index in store!.result(of: targets[held[index]]!, key: keys[held[index]]!) }
            var reused: [String: any Sendable] = [:]
            for (name, value) in zip(held, values) {
                if let value { reused[name] = value } else { refused.insert(name) }
            }
            if reused.count == held.count { return (order.filter { seen.contains($0) && reused[$0] == nil }, reused) }
        }
    }

    /// A moment in a run when its caller decides whether the run goes on: once every target of
    /// `after` is made, `proceed` is asked (once); false, and no further target starts (a build
    /// whose data has errors makes no pages). It runs while no other target can start.
    public struct Checkpoint: Sendable {
        public var after: [String]
        public var proceed: @Sendable (TargetResults) throws -> Bool

        public init(after: [String], proceed: @escaping @Sendable (TargetResults) throws -> Bool) {
            self.after = after
            self.proceed = proceed
        }
    }

    /// Makes the selected targets and what they need on a fixed pool of `workers`: each target
    /// starts as soon as everything it reads is made, the largest `cost` first among those ready
    /// (then graph order). `take` is handed each result as it is made and returns what the
    /// results keep of it (the build hands an output's files to the publisher and keeps its record).
    /// After a failure no new target starts; those running finish, and the error thrown is that of
    /// the failed target first in graph order, whatever the interleaving.
    /// - Returns: false if the checkpoint stopped the run (the targets after it were not all made).
    @discardableResult
    public func run(_ selection: [String], store: TargetStore? = nil, into results: TargetResults = TargetResults(),
                    clock: StageClock? = nil, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                    take: (@Sendable (Target, any Sendable) throws -> any Sendable)? = nil,
                    checkpoint: Checkpoint? = nil) throws -> Bool {
        let wanted = selection.filter { !results.has($0) }
        let (toRun, reused) = needed(for: wanted, store: CachedFirst(results: results, store: store))
        for (name, value) in reused where !results.has(name) { results.set(name, value) }
        let schedule = Schedule(graph: self, toRun: toRun, results: results, checkpoint: checkpoint)
        try schedule.checkpointIfReached()
        guard !toRun.isEmpty, !schedule.isStopped else { return !schedule.isStopped }
        @Sendable func work() {
            while let name = schedule.next() {
                let target = targets[name]!
                let started = DispatchTime.now(), cpuStarted = POSIX.threadCPUTime()
                let outcome = Result { () throws -> any Sendable in
                    let value = try target.run(results)
                    return try take.map { try $0(target, value) } ?? value
                }
                clock?.target(target, since: started, cpuSince: cpuStarted)
                schedule.finished(name, outcome)
            }
        }
        // Threads of their own, not the shared dispatch pool: a worker waiting for a target's reads must
        // never keep another worker from starting.
        let finished = DispatchGroup()
        for _ in 1..<max(1, min(workers, toRun.count)) {
            finished.enter()
            let worker = Thread {
                work()
                finished.leave()
            }
            worker.stackSize = 8 << 20
            worker.start()
        }
        work()
        finished.wait()
        try schedule.outcome()
        return !schedule.isStopped
    }
}

/// What this run made already comes first, then the store.
private struct CachedFirst: TargetStore {
    let results: TargetResults
    let store: TargetStore?

    func result(of target: Target, key: TargetKey) -> (any Sendable)? {
        if let value = results.value(target.name) { return value }
        return store?.result(of: target, key: key)
    }

    func holds(_ target: Target, key: TargetKey) -> Bool {
        results.has(target.name) || store?.holds(target, key: key) == true
    }
}

/// The state of one run: which targets wait for how many reads, which are ready, the first failure.
private final class Schedule: @unchecked Sendable {
    private let graph: TargetGraph
    private let results: TargetResults
    private let condition = NSCondition()
    /// Position in graph order: the tie-break among ready targets, and which failure is reported.
    private let position: [String: Int]
    private var waitingFor: [String: Int] = [:]
    private var readers: [String: [String]] = [:]
    private var ready: ReadyQueue
    private var running = 0
    private var remaining: Int
    private var failure: (position: Int, error: Error)?
    private var checkpoint: TargetGraph.Checkpoint?
    private var checkpointError: Error?
    private(set) var isStopped = false

    init(graph: TargetGraph, toRun: [String], results: TargetResults, checkpoint: TargetGraph.Checkpoint?) {
        self.graph = graph
        self.results = results
        self.checkpoint = checkpoint
        remaining = toRun.count
        position = Dictionary(uniqueKeysWithValues: graph.order.enumerated().map { ($1, $0) })
        ready = ReadyQueue()
        let running = Set(toRun)
        var initial: [String] = []
        for name in toRun {
            let reads = graph.targets[name]!.reads.filter(running.contains)
            for read in reads { readers[read, default: []].append(name) }
            if reads.isEmpty { initial.append(name) } else { waitingFor[name] = reads.count }
        }
        for name in initial { ready.push(name, cost: graph.targets[name]!.cost, position: position[name]!) }
    }

    /// The next target to make, waiting while none is ready; nil when the run is over for this worker.
    func next() -> String? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if failure != nil || isStopped || remaining == 0 { return nil }
            if let name = ready.pop() {
                running += 1
                return name
            }
            precondition(running > 0, "the target graph has a cycle")
            condition.wait()
        }
    }

    func finished(_ name: String, _ outcome: Result<any Sendable, Error>) {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        running -= 1
        remaining -= 1
        switch outcome {
        case .success(let value):
            results.set(name, value, ran: true)
            for reader in readers[name] ?? [] {
                waitingFor[reader]! -= 1
                if waitingFor[reader] == 0 {
                    ready.push(reader, cost: graph.targets[reader]!.cost, position: position[reader]!)
                }
            }
            do { try checkpointIfReached() } catch { checkpointError = error }
        case .failure(let error):
            let at = position[name]!
            if failure.map({ at < $0.position }) ?? true { failure = (at, error) }
        }
    }

    /// Asks the checkpoint once all it waits for is made (called with the lock held, or before any worker starts).
    func checkpointIfReached() throws {
        guard let pending = checkpoint, pending.after.allSatisfy(results.has) else { return }
        checkpoint = nil
        do {
            if try !pending.proceed(results) { isStopped = true }
        } catch {
            isStopped = true
            throw error
        }
    }

    /// Throws the first failure by graph order once every running target has finished.
    func outcome() throws {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure.error }
        if let checkpointError { throw checkpointError }
    }
}

/// The ready targets: the largest cost first, then graph order (a binary heap: a national build
/// has thousands of input files ready at once).
private struct ReadyQueue {
    private var heap: [(name: String, cost: Int, position: Int)] = []

    private static func before(_ a: (name: String, cost: Int, position: Int), _ b: (name: String, cost: Int, position: Int)) -> Bool {
        a.cost != b.cost ? a.cost > b.cost : a.position < b.position
    }

    mutating func push(_ name: String, cost: Int, position: Int) {
        heap.append((name, cost, position))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> String? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < heap.count && Self.before(heap[left], heap[first]) { first = left }
            if right < heap.count && Self.before(heap[right], heap[first]) { first = right }
            if first == parent { break }
            heap.swapAt(parent, first)
            parent = first
        }
        return top.name
    }
}
