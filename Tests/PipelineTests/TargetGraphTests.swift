@testable import Pipeline
import Foundation
import Testing
import YearbookCore

/// The target engine: each target starts as soon as what it reads is made, the largest first; the
/// first failure in graph order is thrown and nothing starts after it; a checkpoint can stop a run.
@Suite struct TargetGraphTests {
    struct Failed: Error, Equatable { var name: String }

    /// What the targets of one test saw, from any worker.
    final class Log: @unchecked Sendable {
        private let condition = NSCondition()
        private var events: [String] = []

        func note(_ event: String) {
            condition.lock()
            events.append(event)
            condition.broadcast()
            condition.unlock()
        }

        /// Waits (at most two seconds) until `event` is noted; whether it was.
        func wait(for event: String) -> Bool {
            let deadline = Date().addingTimeInterval(2)
            condition.lock()
            defer { condition.unlock() }
            while !events.contains(event) {
                if !condition.wait(until: deadline) { return events.contains(event) }
            }
            return true
        }

        var noted: [String] { condition.withLock { events } }
    }

    func target(_ name: String, reads: [String] = [], cost: Int = 0, _ body: @escaping @Sendable () throws -> Void = {}) -> Target {
        Target(TargetRef<String>(name), reads: reads, cost: cost) { _ in
            try body()
            return name
        }
    }

    @Test func aTargetStartsWhenWhatItReadsIsMadeNotWhenItsLevelIs() throws {
        let log = Log()
        var graph = TargetGraph()
        // `slow` waits for `reader`, which reads only `fast`: level by level, `reader` would wait for `slow`.
        graph.add(target("slow", cost: 2) { log.note(log.wait(for: "reader") ? "slow saw reader" : "slow timed out") })
        graph.add(target("fast", cost: 1))
        graph.add(target("reader", reads: ["fast"]) { log.note("reader") })
        let results = TargetResults()
        try graph.run(["slow", "reader"], into: results, workers: 2)
        #expect(log.noted == ["reader", "slow saw reader"])
        #expect(results.ran.sorted() == ["fast", "reader", "slow"])
    }

    @Test func readyTargetsStartLargestCostFirstThenInGraphOrder() throws {
        var graph = TargetGraph()
        graph.add(target("a", cost: 1))
        graph.add(target("b", cost: 5))
        graph.add(target("c", cost: 3))
        graph.add(target("c2", cost: 3))
        graph.add(target("d", reads: ["a"], cost: 10))
        let results = TargetResults()
        try graph.run(["b", "c2", "c", "d"], into: results, workers: 1)
        #expect(results.ran == ["b", "c", "c2", "a", "d"])
    }

    @Test func theFailureFirstInGraphOrderIsThrownAndNothingStartsAfterAFailure() {
        let log = Log()
        var graph = TargetGraph()
        // Both fail while running together; `second` fails first.
        graph.add(target("first", cost: 10) {
            _ = log.wait(for: "second failed")
            throw Failed(name: "first")
        })
        graph.add(target("second", cost: 10) {
            log.note("second failed")
            throw Failed(name: "second")
        })
        graph.add(target("later") { log.note("later ran") })
        graph.add(target("after-first", reads: ["first"]))
        let results = TargetResults()
        #expect(throws: Failed(name: "first")) { try graph.run(["later", "after-first", "second"], into: results, workers: 2) }
        #expect(log.noted == ["second failed"])
        #expect(results.ran.isEmpty)
    }

    @Test func aCheckpointThatSaysNoStopsTheRunAndTakeKeepsWhatItReturns() throws {
        var graph = TargetGraph()
        graph.add(target("stage"))
        graph.add(target("output", reads: ["stage"]))
        graph.add(target("report", reads: ["output"]))
        let results = TargetResults()
        let verdict = TargetGraph.Checkpoint(after: ["stage"]) { results in results[TargetRef<String>("stage")] != "stage" }
        #expect(try !graph.run(["report"], into: results, workers: 2, checkpoint: verdict))
        #expect(results.ran == ["stage"])

        // Without the checkpoint the run goes on, and each result is what `take` returns of it.
        #expect(try graph.run(["report"], into: results, workers: 2, take: { target, value in "\(target.name) taken" }))
        #expect(results.ran == ["stage", "output", "report"])
        #expect(results[TargetRef<String>("output")] == "output taken")
        #expect(results[TargetRef<String>("stage")] == "stage")
    }
}
