import Testing

extension JobCatalogContract {
    /// One case of the contract, named for the test report.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let run: @Sendable (_ makeCatalog: MakeCatalog) async throws -> Void

        var testDescription: String { name }
    }

    /// Every case, in the order they read best in a report.
    static let allCases: [Case] = [
        Case(name: "enqueue and read back every field and step", run: enqueueAndReadBackEveryFieldAndStep),
        Case(name: "enqueue with a used key returns the earlier job", run: enqueueWithAUsedKeyReturnsTheEarlierJob),
        Case(name: "concurrent enqueues with one key store one job", run: concurrentEnqueuesWithOneKeyStoreOneJob),
        Case(name: "a reopened catalog keeps its jobs", run: reopenedCatalogKeepsItsJobs),
        Case(name: "claim takes the oldest queued job first", run: claimTakesTheOldestQueuedJobFirst),
        Case(name: "claim skips datasets with a running job", run: claimSkipsDatasetsWithARunningJob),
        Case(name: "concurrent workers claim each of a thousand jobs once", run: concurrentWorkersClaimEachOfAThousandJobsOnce),
        Case(name: "list filters jobs and shows the newest first", run: listFiltersJobsAndShowsTheNewestFirst),
        Case(name: "cursor pages cover every job once", run: cursorPagesCoverEveryJobOnce),
        Case(name: "list filters by idempotency key prefix literally", run: listFiltersByIdempotencyKeyPrefixLiterally),
        Case(name: "record step upserts by name and attempt", run: recordStepUpsertsByNameAndAttempt),
        Case(name: "update progress changes counters until the job ends", run: updateProgressChangesCountersUntilTheJobEnds),
        Case(name: "finish ends a job once and rejects unknown ones", run: finishEndsAJobOnceAndRejectsUnknownOnes),
        Case(name: "request cancel cancels a queued job at once", run: requestCancelCancelsAQueuedJobAtOnce),
        Case(name: "request cancel flags a running job", run: requestCancelFlagsARunningJob),
        Case(name: "request cancel leaves an ended job unchanged", run: requestCancelLeavesAnEndedJobUnchanged),
        Case(name: "interrupt running marks the jobs of one worker", run: interruptRunningMarksTheJobsOfOneWorker),
        Case(name: "interrupt running without a worker marks every running job", run: interruptRunningWithoutAWorkerMarksEveryRunningJob),
        Case(name: "heartbeat reports the cancel flag and refuses ended jobs", run: heartbeatReportsTheCancelFlagAndRefusesEndedJobs),
        Case(name: "interrupt silent sweeps only jobs whose worker fell silent", run: interruptSilentSweepsOnlyJobsWhoseWorkerFellSilent),
        Case(name: "a lease has one holder until it is released", run: leaseHasOneHolderUntilItIsReleased),
        Case(name: "a lease lapses after its duration", run: leaseLapsesAfterItsDuration),
        Case(name: "concurrent acquires grant a lease to one holder", run: concurrentAcquiresGrantALeaseToOneHolder),
        Case(name: "a takeover reports the previous holder and its last renewal", run: aTakeoverReportsThePreviousHolderAndItsLastRenewal),
        Case(name: "backups read back every field", run: backupsReadBackEveryField),
        Case(name: "recording a backup again keeps its verification and pin", run: recordingABackupAgainKeepsItsVerificationAndPin),
        Case(name: "backups are listed newest first by dataset in cursor pages", run: backupsAreListedNewestFirstByDatasetInCursorPages),
        Case(name: "verification, pin and delete change one backup", run: verificationPinAndDeleteChangeOneBackup),
        Case(name: "events read back newest first with every field", run: eventsReadBackNewestFirstWithEveryField),
        Case(name: "event filters and cursor pages cover every event once", run: eventFiltersAndCursorPagesCoverEveryEventOnce),
        Case(name: "pruning removes only older events and keeps cursors valid", run: pruningRemovesOnlyOlderEventsAndKeepsCursorsValid),
        Case(name: "concurrent appends get distinct increasing ids", run: concurrentAppendsGetDistinctIncreasingIDs),
        Case(name: "the active-region marker moves only forward in epochs", run: activeRegionMarkerMovesOnlyForwardInEpochs),
        Case(name: "concurrent marker writers leave the newest epoch", run: concurrentMarkerWritersLeaveTheNewestEpoch),
        Case(name: "a reopened catalog keeps the marker and events", run: reopenedCatalogKeepsTheMarkerAndEvents),
    ]
}
