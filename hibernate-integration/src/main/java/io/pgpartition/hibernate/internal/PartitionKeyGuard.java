package io.pgpartition.hibernate.internal;

import io.pgpartition.NoPartitionForKeyException;
import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.PartitionKeyMissingException;
import io.pgpartition.ddl.Sql;
import io.pgpartition.model.Partition;
import org.hibernate.engine.spi.EntityEntry;
import org.hibernate.event.spi.FlushEntityEvent;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Guards partition keys on every entity insert and update: a key must be set on insert and land in some partition,
 * and never change afterwards. Everything is decided before any SQL is sent.
 */
final class PartitionKeyGuard implements PersistEventListener, PreInsertEventListener, PreUpdateEventListener,
        FlushEntityEventListener {

    private final Map<String, KeyAccess> byEntityName;
    private final PartitionLayouts layouts;
    /** Per entity name, the position of each key attribute in Hibernate's state arrays (-1 inside the identifier). */
    private final Map<String, int[]> stateIndexes = new java.util.concurrent.ConcurrentHashMap<>();

    PartitionKeyGuard(Map<String, KeyAccess> byEntityName, PartitionLayouts layouts) {
        this.byEntityName = Map.copyOf(byEntityName);
        this.layouts = layouts;
    }

    /** At {@code persist()}, before Hibernate's own not-null check, so that the message speaks of partitioning. */
    @Override
    public void onPersist(PersistEvent event) {
        Object entity = event.getObject();
        KeyAccess access = entity == null ? null
                : byEntityName.get(event.getSession().getEntityPersister(event.getEntityName(), entity).getEntityName());
        if (access != null) {
            for (KeyAccess.Key key : access.keys()) {
                requirePresent(access, key, key.read(entity));
            }
        }
    }

    @Override
    public void onPersist(PersistEvent event, PersistContext createdAlready) {
        onPersist(event);
    }

    @Override
    public boolean onPreInsert(PreInsertEvent event) {
        KeyAccess access = byEntityName.get(event.getPersister().getEntityName());
        if (access == null) {
            return false;
        }
        List<Object> values = keyValues(access, event.getEntity());
        PartitionLayouts.Route route = layouts.route(access.table(), values, () -> GuardedConnections.unguarded(
                event.getSession().getJdbcCoordinator().getLogicalConnection().getPhysicalConnection()));
        if (route.checked() && route.partition().isEmpty()) {
            List<String> nearest = route.table() == null ? List.of()
                    : route.table().nearestPartitions(values, 2).stream().map(Partition::name).map(n -> n.name()).toList();
            throw new NoPartitionForKeyException(access.table().toString(), display(values), nearest, null);
        }
        return false;
    }

    @Override
    public boolean onPreUpdate(PreUpdateEvent event) {
        KeyAccess access = byEntityName.get(event.getPersister().getEntityName());
        if (access != null && event.getOldState() != null) {
            Object[] state = event.getState();
            requireUnchanged(access, event.getPersister(), event.getId(), event.getOldState(), (key, index) -> state[index]);
        }
        return false;
    }

    private static List<Object> keyValues(KeyAccess access, Object entity) {
        List<KeyAccess.Key> keys = access.keys();
        if (keys.size() == 1) {
            KeyAccess.Key key = keys.get(0);
            return List.of(requirePresent(access, key, key.read(entity)));
        }
        List<Object> values = new ArrayList<>(keys.size());
        for (KeyAccess.Key key : keys) {
            values.add(requirePresent(access, key, key.read(entity)));
        }
        return values;
    }

    private static Object requirePresent(KeyAccess access, KeyAccess.Key key, Object value) {
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
            requireUnchanged(access, entry.getPersister(), entry.getId(), entry.getLoadedState(), (key, index) -> key.read(entity));
        }
    }

    /** Compares each key attribute held in the entity's state with its current value, by the attribute's type. */
    private void requireUnchanged(KeyAccess access, EntityPersister persister, Object id, Object[] before,
                                  BiFunction<KeyAccess.Key, Integer, Object> current) {
        int[] indexes = stateIndexes.computeIfAbsent(persister.getEntityName(), name -> {
            List<String> names = Arrays.asList(persister.getPropertyNames());
            return access.keys().stream().mapToInt(key -> names.indexOf(key.attribute())).toArray();
        });
        Type[] types = persister.getPropertyTypes();
        for (int k = 0; k < indexes.length; k++) {
            int index = indexes[k];
            if (index < 0) {
                continue;
            }
            KeyAccess.Key key = access.keys().get(k);
            Object after = current.apply(key, index);
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
