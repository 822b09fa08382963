import EventLog
import Registry

/// Every method of the registry's domain.
public enum RegistryMethods {
    public static func register(into table: inout MethodTable, registry: Registry, clock: LogClock = .system) {
        UnitMethods.register(into: &table, registry: registry)
        AdjustmentMethods.register(into: &table, registry: registry)
        CatalogueMethods.register(into: &table, registry: registry, clock: clock)
        AdminMethods.register(into: &table, registry: registry)
        ReplayMethods.register(into: &table, registry: registry)
        HistoryMethods.register(into: &table, registry: registry)
        SpreadsheetMethods.register(into: &table, registry: registry)
        SupervisionMethods.register(into: &table, registry: registry, clock: clock)
        MetricsMethods.register(into: &table, registry: registry, clock: clock)
        ArchiveMethods.register(into: &table, registry: registry)
    }
}
