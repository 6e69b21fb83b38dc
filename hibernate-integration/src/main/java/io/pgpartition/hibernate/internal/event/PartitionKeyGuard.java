package io.pgpartition.hibernate.internal.event;

import io.pgpartition.hibernate.internal.jdbc.GuardedConnections;
import io.pgpartition.hibernate.internal.jdbc.PartitionLayouts;
import io.pgpartition.NoPartitionForKeyException;
import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.PartitionKeyMissingException;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.Partition;
import org.hibernate.engine.spi.EntityEntry;
import org.hibernate.event.spi.FlushEntityEvent;
import org.hibernate.id.Assigned;
import org.hibernate.jpa.event.spi.CallbackType;
import org.hibernate.event.spi.FlushEntityEventListener;
import org.hibernate.event.spi.PersistContext;
import org.hibernate.event.spi.PersistEvent;
import org.hibernate.event.spi.PersistEventListener;
import org.hibernate.event.spi.PreInsertEvent;
import org.hibernate.event.spi.PreInsertEventListener;
import org.hibernate.event.spi.PreUpdateEvent;
import org.hibernate.event.spi.PreUpdateEventListener;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Guards partition keys on every entity insert and update: a key must be set on insert and land in some partition,
 * and never change afterwards. Everything is decided before any SQL is sent.
 */
public final class PartitionKeyGuard implements PersistEventListener, PreInsertEventListener, PreUpdateEventListener,
        FlushEntityEventListener {

    private final Map<String, KeyAccess> byEntityName;
    private final PartitionLayouts layouts;
    /** Per entity name, the position of each key attribute in Hibernate's state arrays (-1 inside the identifier). */
    private final Map<String, int[]> stateIndexes = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per entity name, whether its class has {@code @PrePersist} callbacks, which may still set a key after {@code persist()}. */
    private final Map<String, Boolean> prePersistCallbacks = new java.util.concurrent.ConcurrentHashMap<>();

    /** Whether {@code hibernate.jdbc.time_zone} differs from the JVM's zone, so that local dates and times reach the server shifted. */
    private final boolean timeZoneShifts;
    /** Whether {@link KeySnapshot.Taker} is registered: without it no entity entry carries a {@link KeySnapshot}. */
    private final boolean snapshots;

    public PartitionKeyGuard(Map<String, KeyAccess> byEntityName, PartitionLayouts layouts, boolean timeZoneShifts, boolean snapshots) {
        this.byEntityName = Map.copyOf(byEntityName);
        this.layouts = layouts;
        this.timeZoneShifts = timeZoneShifts;
        this.snapshots = snapshots;
    }

    /**
     * At {@code persist()}, before Hibernate's own not-null check, so that the message speaks of partitioning. Only
     * where nothing can still set the key before the insert: a key that a generator or the database fills in, a key
     * inside an identifier Hibernate generates, and the keys of an entity with {@code @PrePersist} callbacks are
     * checked at {@link #onPreInsert} instead, after the callbacks and generators have run.
     */
    @Override
    public void onPersist(PersistEvent event) {
        Object entity = event.getObject();
        if (entity == null) {
            return;
        }
        EntityPersister persister = event.getSession().getEntityPersister(event.getEntityName(), entity);
        KeyAccess access = byEntityName.get(persister.getEntityName());
        if (access == null || hasPrePersistCallbacks(event, persister)) {
            return;
        }
        boolean generatedId = !(persister.getGenerator() instanceof Assigned);
        for (KeyAccess.Key key : access.allKeys()) {
            if (!key.filledOnInsert() && !(generatedId && key.inIdentifier(persister))) {
                requirePresent(access, key, key.read(entity));
            }
        }
    }

    private boolean hasPrePersistCallbacks(PersistEvent event, EntityPersister persister) {
        Boolean known = prePersistCallbacks.get(persister.getEntityName());
        if (known == null) {
            known = event.getSession().getFactory().getEventEngine().getCallbackRegistry()
                    .hasRegisteredCallbacks(persister.getMappedClass(), CallbackType.PRE_PERSIST);
            prePersistCallbacks.put(persister.getEntityName(), known);
        }
        return known;
    }

    @Override
    public void onPersist(PersistEvent event, PersistContext createdAlready) {
        onPersist(event);
    }

    /**
     * Before the row's INSERT, after callbacks and identifier generation: every key that neither a generator nor the
     * database fills in must be set, and some partition must take it where the model can tell (elsewhere the server
     * decides, and its refusal is translated).
     */
    @Override
    public boolean onPreInsert(PreInsertEvent event) {
        EntityPersister persister = event.getPersister();
        KeyAccess access = byEntityName.get(persister.getEntityName());
        if (access == null) {
            return false;
        }
        List<Object> values = access.keys().size() == 1 ? null : new ArrayList<>(access.keys().size());
        boolean routable = true;
        for (KeyAccess.Key key : access.keys()) {
            Object value = key.read(event.getEntity());
            if (key.filledOnInsert() || (value == null && key.inIdentifier(persister) && persister.getGenerator().generatedOnExecution())) {
                routable = false;
            } else {
                requirePresent(access, key, value);
                routable &= !key.converted();
            }
            if (values == null) {
                values = java.util.Collections.singletonList(value);
            } else {
                values.add(value);
            }
        }
        for (KeyAccess.Key key : access.subKeys()) {
            Object value = key.read(event.getEntity());
            if (!key.filledOnInsert() && !(value == null && key.inIdentifier(persister) && persister.getGenerator().generatedOnExecution())) {
                requirePresent(access, key, value);
            }
        }
        for (KeyAccess.Key key : access.distributionKeys()) {
            Object value = key.read(event.getEntity());
            if (!key.filledOnInsert() && !(value == null && key.inIdentifier(persister) && persister.getGenerator().generatedOnExecution())) {
                requirePresent(access, key, value);
            }
        }
        if (!routable || (timeZoneShifts && hasLocalTemporal(values))) {
            return false;
        }
        Map<String, Object> lower = null;
        List<Object> shown = values;
        if (!access.subKeys().isEmpty()) {
            lower = new java.util.HashMap<>();
            shown = new ArrayList<>(values);
            for (KeyAccess.Key key : access.subKeys()) {
                if (key.filledOnInsert() || key.converted()) {
                    lower = null;
                    break;
                }
                Object value = key.read(event.getEntity());
                lower.put(key.column(), value);
                shown.add(value);
            }
            if (lower != null && timeZoneShifts && hasLocalTemporal(shown)) {
                lower = null;
            }
        }
        PartitionLayouts.Route route = layouts.route(access.table(), values, lower, () -> GuardedConnections.unguarded(
                event.getSession().getJdbcCoordinator().getLogicalConnection().getPhysicalConnection()));
        if (route.checked() && route.partition().isEmpty()) {
            boolean atRoot = route.table() == null || route.table().name().equals(access.table())
                    || route.table().name().name().equals(access.table().name());
            List<Object> levelKey = atRoot ? values : keyOf(route.table(), lower);
            List<String> nearest = route.table() == null ? List.of()
                    : route.table().nearestPartitions(levelKey, 2).stream().map(Partition::name).map(n -> n.name()).toList();
            throw atRoot ? new NoPartitionForKeyException(access.table().toString(), display(values), nearest, null)
                    : NoPartitionForKeyException.ofSubPartition(route.table().name().toString(), access.table().toString(),
                    display(shown), nearest);
        }
        return false;
    }

    /** The values of a lower level's key columns, in its key's order. */
    private static List<Object> keyOf(io.pgpartition.model.PartitionedTable level, Map<String, Object> lower) {
        List<Object> key = new ArrayList<>();
        level.key().parts().forEach(part -> key.add(lower.get(part.column())));
        return key;
    }

    /** Dates and times without an offset, which Hibernate shifts when {@code hibernate.jdbc.time_zone} is set. */
    private static boolean hasLocalTemporal(List<Object> values) {
        for (Object value : values) {
            if (value instanceof java.time.LocalDate || value instanceof java.time.LocalDateTime
                    || value instanceof java.time.LocalTime || value instanceof java.util.Date) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean onPreUpdate(PreUpdateEvent event) {
        KeyAccess access = byEntityName.get(event.getPersister().getEntityName());
        if (access != null && event.getOldState() != null) {
            requireUnchanged(access, event.getPersister(), event.getId(), event.getOldState(), event.getState(), null);
        }
        return false;
    }

    private static Object requirePresent(KeyAccess access, KeyAccess.Key key, Object value) {
        if (value == null && access.distributionKeys().contains(key)) {
            throw PartitionKeyMissingException.ofDistributionColumn(access.entity(), key.attribute(), key.column(),
                    access.table().toString());
        }
        if (value == null && key.subStrategy() != null) {
            throw PartitionKeyMissingException.ofSubPartitionKey(access.entity(), key.attribute(), key.column(),
                    access.table().toString(), key.subStrategy());
        }
        if (value == null) {
            throw new PartitionKeyMissingException(access.entity(), key.attribute(), key.column(),
                    access.table().toString(), access.strategy());
        }
        return value;
    }

    /**
     * At flush, for every managed entity: key attributes are not updatable (so Hibernate's dirty check skips them),
     * hence a changed key, set on a managed entity or copied onto it by {@code merge}, is caught here.
     */
    @Override
    public void onFlushEntity(FlushEntityEvent event) {
        EntityEntry entry = event.getEntityEntry();
        KeyAccess access = entry == null ? null : byEntityName.get(entry.getPersister().getEntityName());
        if (access != null && entry.getLoadedState() != null) {
            Object entity = event.getEntity();
            Object[] loaded = entry.getLoadedState();
            KeySnapshot snapshot = snapshots ? entry.getExtraState(KeySnapshot.class) : null;
            Object[] before = loaded;
            if (snapshot != null) {
                before = loaded.clone();
                for (int i = 0; i < before.length; i++) {
                    Object copy = snapshot.valueAt(i);
                    before[i] = copy != null ? copy : before[i];
                }
            }
            requireUnchanged(access, entry.getPersister(), entry.getId(), before, null, entity);
            if (snapshot != null && snapshot.hasIdentifierKeys()) {
                List<KeyAccess.Key> keys = access.allKeys();
                for (int k = 0; k < keys.size(); k++) {
                    KeyAccess.Key key = keys.get(k);
                    if (key.identifierGetter() == null) {
                        continue;
                    }
                    Object loadedKey = snapshot.identifierKeyAt(k);
                    Object now = key.read(entity);
                    if (!KeySnapshot.identifierType(entry.getPersister(), key).isEqual(loadedKey, now)) {
                        throw new PartitionKeyChangedException(access.entity(), snapshot.identifier(), key.attribute(), loadedKey, now);
                    }
                }
            }
        }
    }

    /**
     * Compares each key attribute held in the entity's state with its current value, by the attribute's type: the
     * current value is taken from {@code state} when given, else read from {@code entity}.
     */
    private void requireUnchanged(KeyAccess access, EntityPersister persister, Object id, Object[] before, Object[] state,
                                  Object entity) {
        int[] indexes = stateIndexes.get(persister.getEntityName());
        if (indexes == null) {
            indexes = access.stateIndexes(persister);
            stateIndexes.put(persister.getEntityName(), indexes);
        }
        Type[] types = persister.getPropertyTypes();
        List<KeyAccess.Key> keys = access.allKeys();
        for (int k = 0; k < indexes.length; k++) {
            int index = indexes[k];
            if (index < 0) {
                continue;
            }
            KeyAccess.Key key = keys.get(k);
            Object after = state != null ? state[index] : key.read(entity);
            if (!types[index].isEqual(before[index], after)) {
                throw new PartitionKeyChangedException(access.entity(), id, key.attribute(), before[index], after);
            }
        }
    }

    /** The key as SQL literals, so that the message shows what PostgreSQL would compare. */
    private static String display(List<Object> values) {
        String shown = values.stream().map(PartitionKeyGuard::literal).collect(Collectors.joining(", "));
        return values.size() == 1 ? shown : "(" + shown + ")";
    }

    private static String literal(Object value) {
        try {
            return Sql.literal(value);
        } catch (RuntimeException e) {
            return String.valueOf(value);
        }
    }
}
