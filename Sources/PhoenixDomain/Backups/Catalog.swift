/// The whole catalog port (DESIGN.md §2): the job queue and history, the backup index, the
/// event history and the active-region marker cache.
public typealias Catalog = JobCatalog & BackupCatalog & EventLog & ActiveRegionCache
