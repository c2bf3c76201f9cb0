@testable import Pipeline
import Foundation
import Normalize
import Testing
import YearbookCore
import YearbookTestSupport

/// Rejected rows are spooled to disk per roster file and streamed into the
/// reports, also when the extraction comes from the target cache.
@Suite struct RejectSpoolTests {
    static let header = "household_id,area_code,category,members,monthly_amount,status\n"
    let outputs = TestTree()

    func tree() -> TestTree {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", Self.header
            + "h1,430202,U,2,300,active\n,430202,U,2,10,active\nh3,430202,U,1,-5,active\nh4,430202,R,3,200,active\n")
        tree.writeGzip("2019/exports/430203_dibao.csv.gz", Self.header + "h1,430203,U,1,100,active\n")
        tree.writeGzip("2019/exports/430212_dibao.csv.gz", Self.header + "h1,430212,U,4,400,active\n=h2,430212,X,1,1,active\n")
        return tree
    }

    func build(_ tree: TestTree, chapter: String? = nil) throws -> BuildResult {
        try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: outputs.path("out"), pipeline: outputs.pipelineAllowingAnyRejects(), chapter: chapter))
    }

    func report(_ name: String) -> String {
        String(decoding: FileManager.default.contents(atPath: outputs.path("out/2019/reports/" + name)) ?? Data(), as: UTF8.self)
    }

    var spools: [String] { (try? FileManager.default.contentsOfDirectory(atPath: outputs.path("out/.yearbook-cache/2019/rejects"))) ?? [] }

    static let rowsOf430202 = """
        2019/exports/430202_dibao.csv.gz,3,missing household_id,",430202,U,2,10,active"
        2019/exports/430202_dibao.csv.gz,4,monthly_amount '-5' is negative,"h3,430202,U,1,-5,active"

        """

    @Test func theReportsListEveryRejectedRowAlsoFromACachedExtraction() throws {
        let tree = tree()
        let first = try build(tree)
        #expect(first.published)
        #expect(first.counts.rejected == 3)
        #expect(report("rejects.csv") == "file,line,reason,raw\n" + Self.rowsOf430202
            + "2019/exports/430212_dibao.csv.gz,3,unknown category 'X',\"'=h2,430212,X,1,1,active\"\n")
        #expect(report("rejects.json").contains("""
              {
                "file" : "2019/exports/430212_dibao.csv.gz",
                "line" : 3,
                "raw" : "=h2,430212,X,1,1,active",
                "reason" : "unknown category 'X'"
              }
            ]
          }
          """))
        // One spool per roster file with rejected rows, in the cache, none in the edition.
        #expect(spools.count == 2)
        #expect(!FileManager.default.fileExists(atPath: outputs.path("out/2019/rejects")))

        // The county mends its bad row; 430202 is not read again: its rows come from its cached spool.
        tree.writeGzip("2019/exports/430212_dibao.csv.gz", Self.header + "h1,430212,U,4,400,active\nh2,430212,U,1,1,active\n")
        let second = try build(tree, chapter: "social-assistance")
        #expect(second.filesRead == 1)
        #expect(second.counts.rejected == 2)
        #expect(report("rejects.csv") == "file,line,reason,raw\n" + Self.rowsOf430202)
        #expect(report("rejects.json") == """
            {
              "rejects" : [
                {
                  "file" : "2019/exports/430202_dibao.csv.gz",
                  "line" : 3,
                  "raw" : ",430202,U,2,10,active",
                  "reason" : "missing household_id"
                },
                {
                  "file" : "2019/exports/430202_dibao.csv.gz",
                  "line" : 4,
                  "raw" : "h3,430202,U,1,-5,active",
                  "reason" : "monthly_amount '-5' is negative"
                }
              ]
            }

            """)
        // The spool of the extraction the cache no longer keeps is gone with it.
        #expect(spools.count == 1)
    }

    @Test func aFailedBuildsReportsListTheRejectedRows() throws {
        let tree = tree()
        tree.write("2019/exports/430203_dibao.csv.gz", [0x1f, 0x8b, 0x08, 0x00])
        let result = try build(tree)
        #expect(result.exitCode == 1)
        #expect(result.failedReports == outputs.path("out/2019.failed"))
        let rejects = FileManager.default.contents(atPath: outputs.path("out/2019.failed/reports/rejects.csv")).map { String(decoding: $0, as: UTF8.self) }
        #expect(rejects == "file,line,reason,raw\n" + Self.rowsOf430202
            + "2019/exports/430212_dibao.csv.gz,3,unknown category 'X',\"'=h2,430212,X,1,1,active\"\n")
    }

    @Test func aDamagedSpoolIsACacheMissNotALostRow() throws {
        let tree = tree()
        _ = try build(tree)
        for spool in spools {
            let path = outputs.path("out/.yearbook-cache/2019/rejects/" + spool)
            let bytes = try #require(FileManager.default.contents(atPath: path))
            _ = FileManager.default.createFile(atPath: path, contents: bytes.dropLast())
        }
        tree.writeGzip("2019/exports/430203_dibao.csv.gz", Self.header + "h1,430203,U,1,150,active\n")
        let result = try build(tree, chapter: "social-assistance")
        #expect(result.filesRead == 3)
        #expect(result.counts.rejected == 3)
        #expect(report("rejects.csv").split(separator: "\n").count == 4)
    }

    @Test func aReadingWithoutAnOutputFolderSpoolsToATemporaryFileItRemoves() throws {
        let tree = tree()
        let reader = RosterReader(schema: .dibao, measures: [], registry: AreaRegistry([
            Area(code: "430202", nameZH: "荷塘区", nameEN: "Hetang", level: .county),
        ]))
        var path: SystemPath?
        do {
            let result = try reader.read(path: tree.path("2019/exports/430202_dibao.csv.gz"), displayName: "430202_dibao.csv.gz",
                                         county: "430202", year: 2019)
            path = result.rejects.path
            #expect(try result.rejects.rows().map { "\($0.file):\($0.line): \($0.reason)" }
                    == ["430202_dibao.csv.gz:3: missing household_id", "430202_dibao.csv.gz:4: monthly_amount '-5' is negative"])
            #expect(try result.rejects.rows(limit: 1).count == 1)
            #expect(POSIX.kind(try #require(path)) == .regular)
        }
        #expect(POSIX.kind(try #require(path)) == nil)
    }
}
