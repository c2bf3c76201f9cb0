import EditionFiles
import Foundation
import Testing
import YearbookCore
import YearbookTestSupport

/// The manifest written directly is the manifest `JSONEncoder` writes, byte for byte: the committed
/// editions' manifests stay as they are, and any file name is escaped as JSON escapes it.
struct ManifestTests {
    @Test(arguments: [2017, 2018, 2019]) func theSampleManifestsAreWrittenAsTheyAre(year: Int) throws {
        let folder = repositoryRoot + "/output/\(year)"
        let committed = try #require(try POSIX.readFile(SystemPath(folder + "/manifest.json")))
        let manifest = try Manifest.load(folder)
        #expect(manifest.encoded() == committed)
        #expect(manifest.encoded() == EditionJSON.encoded(manifest))
    }

    @Test func everyFieldAndEveryAwkwardCharacterAsJSONEncoderWritesThem() {
        // Every control character, the JSON specials, a slash, DEL, CJK, an emoji and the line separators.
        let awkward = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
            + "\"\\/\u{7F} 养老床位 🧓 \u{2028}\u{2029} é"
        let entry = Manifest.FileEntry(file: "2019/exports/\(awkward).csv.gz", bytes: 1234, sha256: String(repeating: "a", count: 64),
                                       key: "k\(awkward)", content: "c\(awkward)", public: true)
        let plain = Manifest.FileEntry(file: "index.html", bytes: 0, sha256: "", public: false)
        var manifest = Manifest(edition: 2019, tool: "yearbook \(awkward)", pipeline: entry, pipelineFiles: [plain, entry],
                                inputs: [entry], outputs: [plain], history: [entry, plain], stale: [awkward, "a", ""], failed: false)
        manifest.release = true
        #expect(String(decoding: manifest.encoded(), as: UTF8.self) == String(decoding: EditionJSON.encoded(manifest), as: UTF8.self))

        // Nothing optional, every list empty.
        let bare = Manifest(edition: 0, tool: "", pipeline: plain, pipelineFiles: [], inputs: [], outputs: [], stale: [])
        #expect(String(decoding: bare.encoded(), as: UTF8.self) == String(decoding: EditionJSON.encoded(bare), as: UTF8.self))
        #expect(String(decoding: bare.encoded(), as: UTF8.self).contains("\"inputs\" : [\n\n  ],"))
    }
}
