/// The whole catalog port (DESIGN.md §2): the job queue and history, and the backup index.
public typealias Catalog = JobCatalog & BackupCatalog
