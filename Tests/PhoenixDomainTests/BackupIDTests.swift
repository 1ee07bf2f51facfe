import FoundationEssentials
import PhoenixDomain
import Testing

@Suite struct BackupIDTests {
    @Test func anIDStartsWithTheSnapshotTimeInUTCAndSortsByIt() {
        let early = BackupID.make(at: Date(timeIntervalSince1970: 1_795_780_800))  // 2026-11-27T12:00:00Z
        let late = BackupID.make(at: Date(timeIntervalSince1970: 1_795_780_801.9))
        #expect(early.rawValue.hasPrefix("20261127T120000Z-"))
        #expect(late.rawValue.hasPrefix("20261127T120001Z-"))
        #expect(early < late)
        #expect(early.rawValue.count == "20261127T120000Z-".count + 8)
        #expect(BackupID.isWellFormed(early.rawValue))
    }

    @Test func idsOfOneSecondDiffer() {
        let date = Date(timeIntervalSince1970: 0)
        #expect(BackupID.make(at: date).rawValue.hasPrefix("19700101T000000Z-"))
        #expect(BackupID.make(at: date) != BackupID.make(at: date))
    }

    @Test func onlyKeySafeTextIsWellFormed() {
        for bad in ["", "../x", "a/b", ".hidden", "a b", "a\u{0}", String(repeating: "a", count: 129), "ü"] {
            #expect(!BackupID.isWellFormed(bad), "\(bad)")
        }
        #expect(BackupID.isWellFormed("20261127T120000Z-3f9a1c0e"))
    }
}
