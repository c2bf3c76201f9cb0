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
        precondition(targets[target.name] == nil, "target \(target.name) added twice")
        for read in target.reads { precondition(keys[read] != nil, "target \(target.name) reads \(read), added after it") }
        targets[target.name] = target
        order.append(target.name)
        keys[target.name] = key(of: target.name, reads: target.reads, parts: target.parts)
    }

    /// The key a target of this name, reads and parts has (or will have once added:
    /// a target that names a file after its key knows it before it is made).
    public func key(of name: String, reads: [String], parts: [KeyPart]) -> TargetKey {
        var hasher = SHA256()
        hasher.update(Array("target \(name)\ntool \(YearbookVersion.current)\n".utf8))
        for part in parts { hasher.update(Array("part \(part.label) \(part.digest)\n".utf8)) }
        for read in reads { hasher.update(Array("reads \(read) \(keys[read]!.hex)\n".utf8)) }
        return TargetKey(hex: hasher.hexDigest())
    }

    public func key(_ name: String) -> TargetKey { keys[name]! }

    /// The kind of the target of this name (nil for a name never added).
    public func kind(of name: String) -> TargetKind? { targets[name]?.kind }

    /// The targets `selection` needs, with what they read, except below a
    /// target the store can give: its reads are not needed for it.
    public func needed(for selection: [String], store: TargetStore?) -> (run: [String], reused: [String: any Sendable]) {
        var seen: Set<String> = []
        var reused: [String: any Sendable] = [:]
        var stack = selection
        while let name = stack.popLast() {
            guard seen.insert(name).inserted, let target = targets[name] else { continue }
            if let value = store?.result(of: target, key: keys[name]!) {
                reused[name] = value
                continue
            }
            stack.append(contentsOf: target.reads)
        }
        return (order.filter { seen.contains($0) && reused[$0] == nil }, reused)
    }

    /// Makes the selected targets and what they need; targets whose reads are
    /// all made run together on all cores, largest first.
    public func run(_ selection: [String], store: TargetStore? = nil, into results: TargetResults = TargetResults(),
                    clock: StageClock? = nil) throws {
        let wanted = selection.filter { !results.has($0) }
        let (toRun, reused) = needed(for: wanted, store: CachedFirst(results: results, store: store))
        for (name, value) in reused where !results.has(name) { results.set(name, value) }
        var pending = toRun
        while !pending.isEmpty {
            let ready = pending.filter { name in targets[name]!.reads.allSatisfy(results.has) }
            precondition(!ready.isEmpty, "the target graph has a cycle among \(pending)")
            let ordered = ready.sorted { targets[$0]!.cost > targets[$1]!.cost }
            let outcomes = Parallel.map(ordered.count) { index -> Result<any Sendable, Error> in
                let started = DispatchTime.now(), cpuStarted = POSIX.threadCPUTime()
                defer { clock?.target(targets[ordered[index]]!, since: started, cpuSince: cpuStarted) }
                return Result { try targets[ordered[index]]!.run(results) }
            }
            for (name, outcome) in zip(ordered, outcomes) { results.set(name, try outcome.get(), ran: true) }
            let done = Set(ready)
            pending.removeAll { done.contains($0) }
        }
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
}
