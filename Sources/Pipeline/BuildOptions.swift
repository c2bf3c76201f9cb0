import Aggregate
import Definition
import Dispatch
import EditionFiles
import Extract
import Foundation
import Normalize
import Reconcile
import Render
import Validate
import Workbook
import YearbookCore

/// What `yearbook build` is asked to do.
public struct BuildOptions: Sendable {
    public var input: String
    /// nil: the latest year folder of the input.
    public var year: Int?
    public var out: String
    public var pipeline: String
    /// Regenerate this chapter (and what is cheap); other outputs a full build would change are listed stale.
    public var chapter: String?
    public var limits: ReadLimits
    /// Show progress on stderr while extracting.
    public var showProgress: Bool
    /// Where to say that the build waits for another one.
    public var say: @Sendable (String) -> Void
    /// Where earlier editions are read for the chapters' history (default: `out`).
    public var history: String?

    public init(input: String, year: Int? = nil, out: String, pipeline: String, chapter: String? = nil,
                limits: ReadLimits = .standard, showProgress: Bool = false,
                say: @escaping @Sendable (String) -> Void = { _ in }, history: String? = nil) {
        self.input = input
        self.year = year
        self.out = out
        self.pipeline = pipeline
        self.chapter = chapter
        self.limits = limits
        self.showProgress = showProgress
        self.say = say
        self.history = history
    }
}
