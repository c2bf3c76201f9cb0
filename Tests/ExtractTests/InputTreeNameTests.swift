import Extract
import Testing
import YearbookCore

/// A roster's file name: six ASCII digits, "_", dibao or tekun, ".csv.gz", and nothing else.
struct InputTreeNameTests {
    @Test func aRosterNameGivesItsCountyAndRoster() {
        #expect(InputTree.rosterName("430202_dibao.csv.gz")! == ("430202", "dibao"))
        #expect(InputTree.rosterName("990101_tekun.csv.gz")! == ("990101", "tekun"))
    }

    @Test(arguments: [
        "430202_dibao.csv", "43020_dibao.csv.gz", "4302021_dibao.csv.gz", "430202-dibao.csv.gz", "430202_DIBAO.csv.gz",
        "430202_dibao.CSV.GZ", "430202_dibao_x.csv.gz", "430202__dibao.csv.gz", "430202_dibao.csv.gz ", " 430202_dibao.csv.gz",
        // Full-width digits are numbers, not ASCII ones; a combining mark makes another last character.
        "４３０２０２_dibao.csv.gz", "430202_dibao.csv.gz\u{301}", "43020\u{301}2_dibao.csv.gz", "430202_diba\u{301}o.csv.gz",
        "430202_other.csv.gz", "", ".csv.gz",
    ])
    func anythingElseIsNotARoster(name: String) {
        #expect(InputTree.rosterName(name) == nil)
    }
}

/// A file name as messages show it: printable text as it is, anything else escaped.
struct ShownNameTests {
    @Test func printableNamesAsTheyAreAndTheRestEscaped() {
        #expect(SystemPath.shown(Array("2019/exports/430202_dibao.csv.gz".utf8)) == "2019/exports/430202_dibao.csv.gz")
        #expect(SystemPath.shown(Array("养老 ~ 床位.csv".utf8)) == "养老 ~ 床位.csv")
        #expect(SystemPath.shown(Array("a\\b".utf8)) == "a\\\\b")
        #expect(SystemPath.shown([0x61, 0x01, 0x7F, 0x0A]) == "a\\x01\\x7F\\x0A")
        #expect(SystemPath.shown([0x61, 0xFF, 0xE5, 0x85]) == "a\\xFF\\xE5\\x85")
    }
}
