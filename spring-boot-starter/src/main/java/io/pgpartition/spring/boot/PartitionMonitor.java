package io.pgpartition.spring.boot;

import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit;
import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit.PartitionedEntityTable;
import io.pgpartition.report.PartitionHealth;
import jakarta.persistence.EntityManagerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The partitioned persistence units of the application context (by the bean name of their
 * {@link EntityManagerFactory}) and one cached reading of their tables' health, shared by the health contributor and
 * the gauges so that a scrape or a health request reads the catalog at most once per {@code pgpartition.health.cache-for}.
 */
public final class PartitionMonitor {

    /**
     * One reading of a unit's health.
     *
     * @param at      when it was read
     * @param tables  the health of each table; empty when the reading failed
     * @param failure why the reading failed, if it did
     */
    public record Reading(Instant at, List<PartitionHealth> tables, Optional<RuntimeException> failure) {

        /** The health of an entity's table, matched by its name as mapped (unqualified names by the table's own name). */
        public Optional<PartitionHealth> of(PartitionedEntityTable table) {
            return tables.stream().filter(health -> health.table().equals(table.table())
                    || (!table.table().isQualified() && health.table().name().equals(table.table().name()))).findFirst();
        }
    }

    private final Supplier<Map<String, PartitionedPersistenceUnit>> found;
    private final Duration cacheFor;
    private final Clock clock;
    private final Map<String, Reading> readings = new ConcurrentHashMap<>();
    private volatile Map<String, PartitionedPersistenceUnit> units;

    /**
     * @param units    finds the partitioned persistence units once they are open (asked once, on first use), such as
     *                 {@link #unitsOf} over the context's entity manager factories
     * @param cacheFor how long a reading serves
     */
    public PartitionMonitor(Supplier<Map<String, PartitionedPersistenceUnit>> units, Duration cacheFor, Clock clock) {
        this.found = units;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    /** The persistence units with partitioned entities, by entity manager factory bean name, in bean order. */
    public Map<String, PartitionedPersistenceUnit> units() {
        Map<String, PartitionedPersistenceUnit> known = units;
        if (known == null) {
            known = Collections.unmodifiableMap(new LinkedHashMap<>(found.get()));
            units = known;
        }
        return known;
    }

    /** The partitioned persistence units among entity manager factories, by bean name, in the order given. */
    public static Map<String, PartitionedPersistenceUnit> unitsOf(Map<String, EntityManagerFactory> factories) {
        Map<String, PartitionedPersistenceUnit> units = new LinkedHashMap<>();
        factories.forEach((name, factory) -> PartitionedPersistenceUnit.of(factory).ifPresent(unit -> units.put(name, unit)));
        return units;
    }

    /** The unit's health, read again when the last reading is older than the cache time. */
    public Reading reading(String unitName) {
        PartitionedPersistenceUnit unit = units().get(unitName);
        if (unit == null) {
            throw new IllegalArgumentException("No partitioned persistence unit " + unitName + "; there are " + units().keySet());
        }
        Instant now = clock.instant();
        return readings.compute(unitName, (name, last) -> last != null && last.at().plus(cacheFor).isAfter(now) ? last : read(unit, now));
    }

    private static Reading read(PartitionedPersistenceUnit unit, Instant now) {
        try {
            return new Reading(now, unit.health(), Optional.empty());
        } catch (RuntimeException e) {
            return new Reading(now, List.of(), Optional.of(e));
        }
    }
}
