import Foundation
import Pipeline

/// The sample's 2019 edition, built once for every test that reads it, its history from the
/// committed 2017 and 2018 editions.
public enum SampleEdition {
    public static let built: (result: BuildResult, out: String) = {
        let out = Scratch.folder("sample")
        let result = try! YearbookBuild.run(BuildOptions(input: repositoryRoot + "/samples/input", year: 2019, out: out,
                                                         pipeline: pipelinePath, history: repositoryRoot + "/output"))
        return (result, out)
    }()

    /// A file of the edition as text (empty when missing).
    public static func read(_ path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: built.out + "/2019/" + path) ?? Data(), as: UTF8.self)
    }
}
