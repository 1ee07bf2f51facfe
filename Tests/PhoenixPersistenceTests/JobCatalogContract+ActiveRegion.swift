import FoundationEssentials
import PhoenixDomain
import Testing

extension JobCatalogContract {
    // MARK: - Active-region marker cache

    static func activeRegionMarkerMovesOnlyForwardInEpochs(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        #expect(try await catalog.activeRegion() == nil)

        let first = ActiveRegionMarker(region: "us-east-1", epoch: 3, updatedAt: JobFixture.date(1, milliseconds: 5), source: "route53")
        #expect(try await catalog.storeActiveRegion(first) == first)
        #expect(try await catalog.activeRegion() == first)

        // A newer epoch replaces it.
        let failover = ActiveRegionMarker(region: "us-west-2", epoch: 4, updatedAt: JobFixture.date(2), source: "failover job j-1")
        #expect(try await catalog.storeActiveRegion(failover) == failover)
        // A stale writer (it read epoch 3) cannot move it back, whatever its time says.
        let stale = ActiveRegionMarker(region: "us-east-1", epoch: 3, updatedAt: JobFixture.date(50), source: "route53")
        #expect(try await catalog.storeActiveRegion(stale) == failover)
        // Nor can a writer of the same epoch that names another region: one epoch, one region.
        let split = ActiveRegionMarker(region: "eu-west-1", epoch: 4, updatedAt: JobFixture.date(51), source: "manual")
        #expect(try await catalog.storeActiveRegion(split) == failover)
        // The same region at the same epoch refreshes the time and source.
        let refreshed = ActiveRegionMarker(region: "us-west-2", epoch: 4, updatedAt: JobFixture.date(60), source: "route53")
        #expect(try await catalog.storeActiveRegion(refreshed) == refreshed)
        #expect(try await catalog.activeRegion() == refreshed)
    }

    static func concurrentMarkerWritersLeaveTheNewestEpoch(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for epoch in (1...24).shuffled() {
                group.addTask {
                    let marker = ActiveRegionMarker(region: "region-\(epoch)", epoch: Int64(epoch), updatedAt: JobFixture.date(epoch),
                                                    source: "writer \(epoch)")
                    let stored = try await catalog.storeActiveRegion(marker)
                    // Whatever it answers is at least as new as what this writer tried.
                    #expect(stored.epoch >= Int64(epoch))
                }
            }
            try await group.waitForAll()
        }
        let final = try #require(try await catalog.activeRegion())
        #expect(final.epoch == 24)
        #expect(final.region == "region-24")
    }

    static func reopenedCatalogKeepsTheMarkerAndEvents(makeCatalog: MakeCatalog) async throws {
        let marker = ActiveRegionMarker(region: "us-east-1", epoch: 9, updatedAt: JobFixture.date(9), source: "route53")
        var event = EngineEvent(time: JobFixture.date(9), kind: "lease.acquired", subject: "automation", message: "a leads")
        do {
            let catalog = try await makeCatalog()
            _ = try await catalog.storeActiveRegion(marker)
            event = try await catalog.appendEvent(event)
        }
        let reopened = try await makeCatalog()
        #expect(try await reopened.activeRegion() == marker)
        #expect(try await reopened.events(EventQuery()) == [event])
    }
}
