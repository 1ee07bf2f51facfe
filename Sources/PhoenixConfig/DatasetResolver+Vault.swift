import PhoenixDomain

extension DatasetResolver {
    /// A vault dataset reaches the primary region's Vault: without its address and token every
    /// backup would fail, so `config validate` says so first.
    func checkVaultEndpoint(_ dataset: DatasetSpec) {
        guard dataset.source == .vault, !configuration.regions.isEmpty else { return }
        let primary = configuration.regions.first { $0.role == .primary }
        if primary?.vaultAddress == nil || primary?.vaultToken == nil {
            log.warning("datasets.\(dataset.name)", line: nil,
                        "a vault dataset needs regions.<primary>.vault.address and .token before it can be backed up")
        }
    }
}
