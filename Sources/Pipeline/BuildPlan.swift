import EditionFiles
import Foundation
import Outputs
import YearbookCore

/// What a build would do, and why, without doing it (`yearbook build
/// --dry-run`, as R's `tar_outdated()`): each target that would run with the
/// reason it is outdated, and what becomes of each output.
public struct BuildPlan: Sendable {
    public struct Step: Sendable, Equatable {
        public var target: String
        /// Why it runs: "not built before", "input 2019/exports/430202_dibao.csv.gz changed", …
        public var reason: String
    }

    public var year: Int
    public var job: String
    public var steps: [Step] = []
    /// Targets the last build made with the same key: taken from the cache or left as published.
    public var upToDate: [String] = []
    /// Outputs whose files would change: written into the new edition.
    public var written: [String] = []
    /// A full build's outputs that would come out as published (the same keys): published again, unchanged.
    public var unchanged: [String] = []
    public var compared: [String] = []
    public var kept: [String] = []

    public static func make(_ options: BuildOptions) throws -> BuildPlan {
        let (loaded, early) = try YearbookBuild.setup(options, clock: StageClock())
        guard let setup = loaded else {
            throw YearbookError.usage(try early.problems.errors().map(\.description).joined(separator: "\n"))
        }
        let publisher = EditionPublisher(out: options.out, year: early.year)
        let previous = try Manifest.ofEdition(publisher.target)
        let chapterOnly = options.chapter != nil && previous != nil
        let cache = TargetCache(out: options.out, year: early.year)
        let targets = try YearbookTargets(definition: setup.definition, tree: setup.tree, registry: setup.registry,
                                          areasBytes: setup.areasBytes, digests: setup.digests, sizes: setup.sizes, limits: options.limits,
                                          history: setup.history, progress: nil, rejectSpool: cache.rejectSpool,
                                          outputFolder: OutputFolder(path: publisher.stagingFolder))
        let graph = targets.graph
        let outputs = OutputPlan(targets: targets, previous: previous, chapter: chapterOnly ? options.chapter : nil)
        var plan = BuildPlan(year: early.year,
                             job: chapterOnly ? "chapter \(options.chapter!) of \(publisher.target)"
                                 : "full build of \(publisher.target)" + (options.chapter != nil ? " (no edition there yet)" : ""))
        // A full build publishes every output again; those made from what they were made from last time are the same.
        let unchanged = chapterOnly ? [] : previous.map { previous in
            outputs.written.filter { OutputPlan.isAsPublished($0, targets: targets, previous: previous) }
        } ?? []
        plan.written = outputs.written.filter { !unchanged.contains($0) }
        plan.unchanged = unchanged
        plan.compared = outputs.compared
        plan.kept = outputs.kept
        let selection = [YearbookTargets.findings.name] + outputs.written + outputs.compared
        // A full build runs every target; it still says which are outdated against the last build.
        let run = chapterOnly ? graph.needed(for: selection, store: HeldOnly(cache)).run : graph.order
        for name in run {
            if let record = cache.records[name], record.key == graph.key(name) {
                plan.upToDate.append(name)
            } else {
                plan.steps.append(Step(target: name, reason: reason(name, graph: graph, cache: cache)))
            }
        }
        return plan
    }

    /// Why `name`'s key differs from the last build's.
    static func reason(_ name: String, graph: TargetGraph, cache: TargetCache) -> String {
        guard let record = cache.records[name] else { return "not built before" }
        let target = graph.targets[name]!
        let before = Dictionary(record.parts.map { ($0.label, $0.digest) }, uniquingKeysWith: { a, _ in a })
        let changed = target.parts.filter { before[$0.label] != $0.digest }.map(\.label)
        if !changed.isEmpty { return changed.map { "\($0) changed" }.joined(separator: "; ") }
        let reads = target.reads.filter { cache.records[$0]?.key != graph.key($0) }
        if !reads.isEmpty {
            let shown = reads.prefix(3).joined(separator: ", ") + (reads.count > 3 ? " and \(reads.count - 3) more" : "")
            return "reads \(shown), which changed"
        }
        return "the tool changed"
    }

    /// The plan for a person: outdated targets grouped by kind, then the outputs.
    public var text: String {
        var lines = ["yearbook \(year): \(job)"]
        var groups: [(String, [Step])] = []
        for step in steps {
            let kind = step.target.split(separator: ":").first.map(String.init) ?? step.target
            if let index = groups.firstIndex(where: { $0.0 == kind }) { groups[index].1.append(step) } else { groups.append((kind, [step])) }
        }
        lines.append(steps.isEmpty ? "every target is up to date" : "\(steps.count) targets outdated (\(upToDate.count) up to date):")
        for (_, group) in groups {
            for step in group.prefix(10) { lines.append("  \(step.target): \(step.reason)") }
            if group.count > 10 { lines.append("  … and \(group.count - 10) more of the same kind") }
        }
        lines.append("outputs written: \(written.isEmpty ? "none" : written.joined(separator: ", "))")
        if !unchanged.isEmpty {
            lines.append("outputs unchanged (made again from what made the published ones: the same bytes): \(unchanged.count)")
        }
        if !compared.isEmpty { lines.append("outputs made and compared with the published ones (listed stale if a full build would change them): \(compared.joined(separator: ", "))") }
        if !kept.isEmpty { lines.append("outputs kept as published (their keys did not change): \(kept.joined(separator: ", "))") }
        return lines.joined(separator: "\n") + "\n"
    }
}


